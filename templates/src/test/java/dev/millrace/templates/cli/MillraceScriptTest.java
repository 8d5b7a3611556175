package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.LocalServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bin/millrace reads the runner option properly (issue 14): the jar follows {@code --runner=X} or {@code
 * --runner X}, in any case, the last one winning; the runner is passed on as {@code --runner=FlinkRunner}; an
 * unknown runner stops the script before Java starts. Runs the script only (MILLRACE_DEBUG=dry: no build, no Java).
 */
class MillraceScriptTest {
  private static final Path ROOT = LocalServers.root();

  record Result(int code, String out, String err) {}

  @Test
  void anUnknownRunnerExits2BeforeJavaStarts() throws Exception {
    // No Java at JAVA_HOME: reaching the Java check (or a build) would print another message.
    Result r = millrace(Map.of("JAVA_HOME", "/nonexistent"),
        "run", "clickstream-analytics", "--runner", "Bogus", "--maxEvents=10");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("millrace: unknown runner 'Bogus' (DirectRunner, FlinkRunner or SparkRunner)");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aRunnerWithoutItsValueExits2() throws Exception {
    Result r = millrace(Map.of("JAVA_HOME", "/nonexistent"), "run", "clickstream-analytics", "--runner");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("millrace: --runner needs a value (DirectRunner, FlinkRunner or SparkRunner)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "--runner flink --dry-run, runners/flink/target/millrace-flink.jar, --runner=FlinkRunner --dry-run",
    "--runner FlinkRunner, runners/flink/target/millrace-flink.jar, --runner=FlinkRunner",
    "--runner=Flink, runners/flink/target/millrace-flink.jar, --runner=FlinkRunner",
    "--runner=SPARK --maxEvents=10, runners/spark/target/millrace-spark.jar, --runner=SparkRunner --maxEvents=10",
    "--runner sparkrunner, runners/spark/target/millrace-spark.jar, --runner=SparkRunner",
    "--maxEvents=10, templates/target/millrace-direct.jar, --maxEvents=10",
    "--runner=direct, templates/target/millrace-direct.jar, --runner=DirectRunner",
    "--runner=flink --maxEvents=10 --runner Direct, templates/target/millrace-direct.jar, --runner=DirectRunner --maxEvents=10",
    "--runner direct --runner=flink, runners/flink/target/millrace-flink.jar, --runner=FlinkRunner",
  })
  void theRunnerPicksTheJarAndIsPassedOnInOneForm(String args, String jar, String passedOn) throws Exception {
    List<String> command = new ArrayList<>(List.of("run", "clickstream-analytics"));
    command.addAll(List.of(args.split(" ")));
    Result r = millrace(Map.of("MILLRACE_DEBUG", "dry"), command.toArray(new String[0]));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err().lines()).containsExactly(
        "millrace: jar " + ROOT.resolve(jar),
        "millrace: args run clickstream-analytics " + passedOn);
  }

  private static Result millrace(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("bin/millrace").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().remove("MILLRACE_DEBUG");
    builder.environment().putAll(env);
    Process process = builder.start();
    // Small outputs: read after exit.
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("bin/millrace " + String.join(" ", args) + " did not finish in 30 s");
    }
    return new Result(process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
