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
 * restored job counted events twice (see RunnerSupport#keepCheckpointsExact); on the embedded cluster,
 * checkpoints in files, as the JobManager's memory takes 5 MB of state at most.
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
    assertThat(dryRun("bounded", "--maxEvents=100")).contains("Flink: --fasterCopy=true")
        .doesNotContain("--stateBackend");
  }

  @Test
  void anUnboundedRunOnTheEmbeddedClusterCheckpointsToFilesNotToTheJobManagersMemory() throws Exception {
    assertThat(dryRun("embedded"))
        .containsPattern("--stateBackend=filesystem --stateBackendStoragePath=file:/\\S*millrace-flink-checkpoints-");
    assertThat(dryRun("local", "--flinkMaster=[local]"))
        .contains("--stateBackend=filesystem --stateBackendStoragePath=file:/");
  }

  @Test
  void aClusterOrAChosenStateBackendKeepsItsOwnCheckpointStorage() throws Exception {
    assertThat(dryRun("cluster", "--flinkMaster=127.0.0.1:8081")).contains("Flink: --fasterCopy=false")
        .doesNotContain("--stateBackend");
    assertThat(dryRun("chosen", "--stateBackend=filesystem", "--stateBackendStoragePath=file:///data/checkpoints"))
        .contains("--stateBackend=filesystem --stateBackendStoragePath=file:///data/checkpoints");
  }

  @Test
  void anUnboundedRunThatAsksForTheFasterCopyGetsItWithAWarning() throws Exception {
    assertThat(dryRun("asked", "--fasterCopy=true"))
        .contains("Flink: --fasterCopy=true")
        .contains("warning: --fasterCopy=true in an unbounded run");
  }
}
