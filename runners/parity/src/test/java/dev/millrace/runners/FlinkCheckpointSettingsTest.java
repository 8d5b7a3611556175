package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.IntegrationTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings an unbounded Flink job gets from the CLI, read from its dry run: {@code --fasterCopy}
 * only for bounded runs, since with it Flink's heap snapshots share the live window accumulators and a
 * restored job counted events twice (see RunnerSupport#keepCheckpointsExact).
 */
@IntegrationTest
class FlinkCheckpointSettingsTest {
  @TempDir Path dir;

  String dryRun(String name, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("run", "clickstream-analytics", "--runner=FlinkRunner",
        "--source=synthetic", "--dry-run"));
    command.addAll(List.of(args));
    return RunnerParityTest.millrace(dir, name, "millrace-flink.jar", command);
  }

  @Test
  void anUnboundedRunCopiesStateValuesSoCheckpointsDoNotShareThem() throws Exception {
    assertThat(dryRun("unbounded"))
        .contains("Flink: --fasterCopy=false --checkpointingInterval=10000 --checkpointingMode=EXACTLY_ONCE")
        .doesNotContain("warning");
  }

  @Test
  void aBoundedRunKeepsTheFasterCopy() throws Exception {
    assertThat(dryRun("bounded", "--maxEvents=100")).contains("Flink: --fasterCopy=true");
  }

  @Test
  void anUnboundedRunThatAsksForTheFasterCopyGetsItWithAWarning() throws Exception {
    assertThat(dryRun("asked", "--fasterCopy=true"))
        .contains("Flink: --fasterCopy=true")
        .contains("warning: --fasterCopy=true in an unbounded run");
  }
}
