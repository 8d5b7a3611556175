package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.synthetic.ClickstreamGenerator;
import dev.millrace.io.synthetic.SyntheticClickstreamConfig;
import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.JobJvm;
import dev.millrace.testing.LocalServers;
import dev.millrace.testing.WithLocalServers;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise that pipelines run unchanged on every runner, checked: the same bounded input through
 * the Direct, Flink (embedded) and Spark (local) jars, each in its own JVM as a user would launch it,
 * and submitted to real clusters on loopback started the way a user starts them ({@code bin/millrace
 * local up --flink --spark}: the Flink session cluster, the Spark standalone cluster), must give
 * row-identical page stats and dead letters.
 */
@IntegrationTest
@WithLocalServers({"--flink", "--spark"})
class RunnerParityTest {
  static final Path ROOT = Paths.get(System.getProperty("millrace.root", "../..")).toAbsolutePath().normalize();

  @TempDir static Path dir;
  static Path input;

  @BeforeAll
  static void writeInputAndStartClusters() throws Exception {
    input = writeInput(dir);
  }


  /** 15k synthetic events with every kind of trouble (~17k records). */
  static Path writeInput(Path dir) throws IOException {
    return writeInput(dir, 15_000, TROUBLED_CLICKS);
  }

  /** Out of order, late, duplicated and malformed records among the events. */
  static final SyntheticClickstreamConfig TROUBLED_CLICKS =
      SyntheticClickstreamConfig.builder()
          .setSeed(7)
          .setEventsPerSecond(20)
          .setOutOfOrderFraction(0.3)
          .setLateFraction(0.02)
          .setDuplicateFraction(0.05)
          .setMalformedFraction(0.05)
          .build();

  /** {@code events} synthetic events (and their duplicates and malformed records) as dir/clicks.jsonl. */
  static Path writeInput(Path dir, long events, SyntheticClickstreamConfig config) throws IOException {
    ClickstreamGenerator generator = new ClickstreamGenerator(config);
    List<String> lines = new ArrayList<>();
    for (long n = 0; n < events; n++) {
      lines.addAll(generator.recordsOf(n));
    }
    Path file = dir.resolve("clicks.jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  static Path run(String jar, String... runnerArgs) throws Exception {
    return run(dir, input, jar.replace(".jar", ""), jar, runnerArgs);
  }

  /** Runs the template from a runner's jar in its own JVM, as {@code java -jar} would. */
  static Path run(Path dir, Path input, String name, String jar, String... runnerArgs) throws Exception {
    List<String> args = new ArrayList<>(List.of("--source=file", "--input=" + input));
    args.addAll(List.of(runnerArgs));
    return run(dir, name, jar, args);
  }

  /** Runs clickstream-analytics from a runner's jar with {@code args}, writing to {@code dir/name}. */
  static Path run(Path dir, String name, String jar, List<String> args) throws Exception {
    Path output = dir.resolve(name);
    List<String> command = new ArrayList<>();
    command.add("run");
    command.add("clickstream-analytics");
    command.add("--output=" + output);
    command.addAll(args);
    String printed = millrace(dir, name, jar, command);
    assertThat(printed).contains("Run summary: clickstream-analytics, DONE");
    return output;
  }

  /** Runs a runner's jar ({@code java -jar JAR ARGS}) in its own JVM; returns what it printed. */
  static String millrace(Path dir, String name, String jar, List<String> args) throws Exception {
    List<String> command = JobJvm.command(jarPath(jar), args);
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // Spark binds to the first non-loopback address unless told otherwise.
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    long started = System.nanoTime();
    Process process = builder.start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    // Each run's time, in the test's output: what the suite's 30-minute budget is spent on.
    System.out.printf("millrace %s (%s): %.1f s%n", name, jar, (System.nanoTime() - started) / 1e9);
    String printed = Files.readString(log);
    assertThat(finished).as("%s finished in time:%n%s", jar, printed).isTrue();
    assertThat(process.exitValue()).as("%s exit code:%n%s", jar, printed).isZero();
    // No count of the run summary is negative (a late-drop count per element against one per window
    // read -52,227 on Spark streaming, and the run still passed its checks).
    int summary = printed.indexOf("Run summary:");
    if (summary >= 0) {
      assertThat(printed.substring(summary).lines().filter(l -> l.matches(".*\\s-[0-9][0-9,]*(\\s.*)?")))
          .as("negative counts in the run summary of %s", name).isEmpty();
    }
    return printed;
  }

  static Path jarPath(String jar) {
    String module =
        jar.equals("millrace-direct.jar") ? "templates" : "runners/" + jar.replace("millrace-", "").replace(".jar", "");
    Path path = ROOT.resolve(module).resolve("target").resolve(jar);
    assertThat(path).as("the %s jar is built by the reactor before this module", jar).exists();
    return path;
  }

  static List<String> pageStats(Path output) throws IOException {
    return rows(output.resolve("page_stats"), r -> String.join(",",
        str(r, "window_start"), str(r, "window_end"), str(r, "page"), str(r, "events"),
        str(r, "views"), str(r, "clicks"), str(r, "add_to_carts"), str(r, "purchases"),
        str(r, "revenue"), str(r, "unique_users"), str(r, "pane_index"), str(r, "pane_timing")));
  }

  static List<String> deadLetters(Path output) throws IOException {
    return rows(output.resolve("dead_letter"), r -> String.join("|",
        str(r, "source"), str(r, "error"), str(r, "message"), str(r, "payload")));
  }

  static String str(GenericRecord r, String field) {
    return String.valueOf(r.get(field));
  }

  static List<String> rows(Path dataset, java.util.function.Function<GenericRecord, String> f)
      throws IOException {
    return LocalParquetFiles.readAll(dataset).stream().map(f).sorted().collect(Collectors.toList());
  }

  @Test
  void directFlinkAndSparkWriteTheSameRowsEmbeddedAndOnClusters() throws Exception {
    Path direct = run("millrace-direct.jar");
    Path flink = run("millrace-flink.jar", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
    Path spark = run("millrace-spark.jar", "--runner=SparkRunner", "--sparkMaster=local[2]");
    Path flinkCluster = run(dir, input, "flink-cluster", "millrace-flink.jar",
        "--runner=FlinkRunner", "--flinkMaster=" + LocalServers.TESTS.flinkMaster());
    Path sparkCluster = run(dir, input, "spark-cluster", "millrace-spark.jar",
        "--runner=SparkRunner", "--sparkMaster=" + LocalServers.TESTS.sparkMaster());

    List<String> expectedStats = pageStats(direct);
    List<String> expectedDeadLetters = deadLetters(direct);
    assertThat(expectedStats).hasSizeGreaterThan(100);
    assertThat(expectedDeadLetters).hasSizeGreaterThan(500);

    for (Path other : List.of(flink, spark, flinkCluster, sparkCluster)) {
      assertThat(pageStats(other)).as(other.getFileName() + " page_stats").containsExactlyElementsOf(expectedStats);
      assertThat(deadLetters(other)).as(other.getFileName() + " dead_letter")
          .containsExactlyElementsOf(expectedDeadLetters);
    }
  }
}
