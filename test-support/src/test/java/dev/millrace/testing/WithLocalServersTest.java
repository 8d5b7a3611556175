package dev.millrace.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The extension starts what is not running, stops exactly that, and the tests' stack is on free ports. */
@IntegrationTest
class WithLocalServersTest {

  /** A sample test class, run only through the test kit below (surefire skips nested classes). */
  @WithLocalServers({"--kinesis"})
  static class NeedsKinesis {
    @Test
    void seesKinesisRunning() throws Exception {
      assertThat(LocalServers.TESTS.running()).contains("kinesis");
    }
  }

  static void runNeedsKinesis() {
    EngineTestKit.engine("junit-jupiter").selectors(selectClass(NeedsKinesis.class)).execute()
        .testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
  }

  @Test
  void startsAServerThatIsNotRunningAndStopsIt() throws Exception {
    assertThat(LocalServers.TESTS.running()).doesNotContain("kinesis");
    runNeedsKinesis();
    assertThat(LocalServers.TESTS.running()).doesNotContain("kinesis");
  }

  @Test
  void leavesAServerThatRanBeforeRunning() throws Exception {
    LocalServers.local("up", "--kinesis");
    try {
      runNeedsKinesis();
      assertThat(LocalServers.TESTS.running()).contains("kinesis");
    } finally {
      LocalServers.local("down", "--kinesis");
    }
  }

  @Test
  void theTestsStackIsOnPortsOfItsOwn() {
    Set<Integer> ports = new HashSet<>();
    for (String server : LocalServers.Stack.DEFAULT_PORTS.keySet()) {
      int port = LocalServers.TESTS.port(server);
      assertThat(port).as(server).isBetween(10_000, 65_535)
          .isNotEqualTo(LocalServers.Stack.DEFAULT_PORTS.get(server));
      ports.add(port);
    }
    LocalServers.Stack other = LocalServers.Stack.onFreePorts("other");
    for (String server : LocalServers.Stack.DEFAULT_PORTS.keySet()) {
      ports.add(other.port(server));
    }
    assertThat(ports).as("no two servers of two stacks share a port").hasSize(16);
    assertThat(LocalServers.TESTS.environment().get("MILLRACE_LOCAL_DIR"))
        .endsWith(".millrace/stacks/tests-" + ProcessHandle.current().pid());
  }
}
