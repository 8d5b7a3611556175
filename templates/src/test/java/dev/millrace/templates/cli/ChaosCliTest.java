package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code millrace chaos}: what it refuses before it starts anything, and how it reads --faults. */
class ChaosCliTest extends CliTestBase {
  @TempDir Path dir;

  @Test
  void refusesWhatItCannotRunBeforeStartingAnything() throws Exception {
    assertThat(run("chaos")).isEqualTo(Millrace.USAGE);
    assertThat(err()).contains("name a template first");

    assertThat(run("chaos", "no-such-template", "--faults=all")).isEqualTo(Millrace.USAGE);
    assertThat(err()).contains("no template named 'no-such-template'");

    Path input = Files.writeString(dir.resolve("in.jsonl"), "{}\n");
    assertThat(run("chaos", "clickstream-analytics", "--input=" + input, "--output=" + dir.resolve("out"),
        "--faults=kill-taskmanager,meteor", "--runner=DirectRunner", "--rate=fast")).isEqualTo(Millrace.USAGE);
    assertThat(err())
        .contains("--faults: unknown fault 'meteor'")
        .contains("--runner=DirectRunner: chaos always runs the template on the local Flink cluster")
        .contains("--rate: a positive whole number, not 'fast'");

    assertThat(run("chaos", "clickstream-analytics", "--input=" + input, "--output=" + dir.resolve("out"),
        "--faults=savepoint-restart", "--restartWith=--windowSize=2m windowSize --runner=SparkRunner"))
        .isEqualTo(Millrace.USAGE);
    assertThat(err())
        .contains("--restartWith: template options written --name=value, not 'windowSize'")
        .contains("--runner=SparkRunner: chaos always runs the template on the local Flink cluster");

    assertThat(run("chaos", "clickstream-analytics", "--input=" + dir.resolve("missing.jsonl"),
        "--output=" + dir.resolve("out"), "--faults=s3-outage")).isEqualTo(Millrace.USAGE);
    assertThat(err()).contains("--input: no such file").contains("s3-outage needs an s3:// --output");
  }

  @Test
  void allMeansEveryFaultThatAppliesToTheOutput() {
    assertThat(Chaos.Fault.parse("all", false)).containsExactly(Chaos.Fault.KILL_TASKMANAGER,
        Chaos.Fault.SAVEPOINT_RESTART, Chaos.Fault.RESCALE, Chaos.Fault.KINESIS_OUTAGE);
    assertThat(Chaos.Fault.parse("all", true)).hasSize(5).contains(Chaos.Fault.S3_OUTAGE);
    assertThat(Chaos.Fault.parse(" Kill-TaskManager , rescale", false))
        .isEqualTo(List.of(Chaos.Fault.KILL_TASKMANAGER, Chaos.Fault.RESCALE));
    assertThatThrownBy(() -> Chaos.Fault.parse("", false)).hasMessageContaining("unknown fault");
  }

  @Test
  void aJobRestoredFromASavepointTakesTheRestartOptionsOverItsFirstOnes() {
    List<String> first = List.of("--windowSize=1m", "--allowedLateness=1h", "--idleTimeout=10s");
    List<String> restart = Chaos.restartWith(java.util.Map.of("restartWith", " --windowSize=2m  --dedupHorizon=20m "));
    assertThat(restart).containsExactly("--windowSize=2m", "--dedupHorizon=20m");
    assertThat(Chaos.templateArgs(first, restart, false)).isEqualTo(first);
    assertThat(Chaos.templateArgs(first, restart, true))
        .containsExactly("--allowedLateness=1h", "--idleTimeout=10s", "--windowSize=2m", "--dedupHorizon=20m");
    assertThat(Chaos.templateArgs(first, List.of(), true)).isEqualTo(first);
    assertThat(Chaos.restartWith(java.util.Map.of())).isEmpty();
  }

  @Test
  void aSavepointFlinkCannotMapGetsAHintInTheseTerms() {
    String refused = "IllegalStateException: Failed to rollback to checkpoint/savepoint file:/sp. Cannot map "
        + "checkpoint/savepoint state for operator 4d35d95b to the new program, because the operator is not "
        + "available in the new program.";
    assertThat(RunnerSupport.failureHint(refused))
        .contains("another template").contains("--windowSize may change").contains("--allowNonRestoredState=true");
    assertThat(RunnerSupport.failureHint("IOException: Connection refused")).isNull();
  }
}
