package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.templates.catalog.RunnerDefaults;
import dev.millrace.testing.TemplateRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The runner option read one way (issue 14): {@code --runner=X} or {@code --runner X}, any case, last wins. */
class RunnerDefaultsTest extends CliTestBase {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "'', direct",
    "--runner=DirectRunner, direct",
    "--runner=direct, direct",
    "--runner=FlinkRunner, flink",
    "--runner=flink, flink",
    "--runner=Flink, flink",
    "--runner=FLINKRUNNER, flink",
    "--runner FlinkRunner, flink",
    "--runner flink, flink",
    "--runner=SparkRunner, spark",
    "--runner SPARK, spark",
    "--runner=TestFlinkRunner, testflink",
    "--runner=flink --runner=direct, direct",
    "--runner spark --maxEvents=10 --runner=Flink, flink",
    "--runner=Bogus, bogus",
  })
  void theRunnerIsReadInEveryForm(String args, String runner) {
    assertThat(Millrace.runner(split(args))).isEqualTo(runner);
  }

  @Test
  void eachRunnersDefaultsFollowTheRunnerInAnyForm() {
    for (String flink : new String[] {"--runner=flink", "--runner=FlinkRunner", "--runner=FLINK", "--runner FlinkRunner"}) {
      String[] args = split(flink);
      assertThat(Millrace.flinkRunnerDefaults(args)).as(flink).contains("--fasterCopy=true", "--checkpointingMode=EXACTLY_ONCE");
      assertThat(Millrace.directRunnerDefaults(args)).as(flink).isEqualTo(args);
      assertThat(Millrace.sparkRunnerDefaults(args)).as(flink).isEqualTo(args);
    }
    for (String spark : new String[] {"--runner=spark", "--runner=SparkRunner", "--runner sparkrunner"}) {
      String[] args = split(spark);
      assertThat(Millrace.sparkRunnerDefaults(args)).as(spark).contains("--storageLevel=MEMORY_AND_DISK", "--batchIntervalMillis=2000");
      assertThat(Millrace.flinkRunnerDefaults(args)).as(spark).isEqualTo(args);
      assertThat(Millrace.directRunnerDefaults(args)).as(spark).isEqualTo(args);
    }
    for (String direct : new String[] {"--maxEvents=10", "--runner=DIRECT", "--runner DirectRunner", "--runner=flink --runner direct"}) {
      String[] args = split(direct);
      assertThat(Millrace.directRunnerDefaults(args)).as(direct).contains("--blockOnRun=false", "--enforceImmutability=false");
      assertThat(Millrace.flinkRunnerDefaults(args)).as(direct).isEqualTo(args);
    }
  }

  @Test
  void theTestsRunWholeTemplatesWithTheDirectDefaultsUsersGet() {
    // Tests that run a whole template in their JVM (TemplateRuns) claim to run it as the CLI does.
    assertThat(RunnerDefaults.args("direct")).containsAll(TemplateRuns.CLI_DIRECT_DEFAULTS);
  }

  @Test
  void theCommandAcceptsASeparateRunnerValue() {
    // Was "unexpected argument 'direct'".
    assertThat(run("run", "clickstream-analytics", "--runner", "direct", "--maxEvents=10", "--dry-run"))
        .as(err()).isZero();
    assertThat(out()).contains("Dry run of clickstream-analytics on DirectRunner").containsPattern("--runner +direct");
  }

  private static String[] split(String args) {
    return args.isEmpty() ? new String[0] : args.split(" ");
  }
}
