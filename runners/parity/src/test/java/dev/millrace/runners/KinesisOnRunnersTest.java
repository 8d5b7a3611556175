package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.LocalServers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kinesis source on every runner: the parity input is produced into a stream on the local
 * emulator, read back (bounded) by the Flink and Spark jars, and must give the page stats and dead
 * letters of the Direct file run, row for row (dead letters then name stream/shard/sequence).
 */
@IntegrationTest
class KinesisOnRunnersTest {
  static final String KINESIS = "--kinesisEndpoint=http://127.0.0.1:4568";

  @TempDir static Path dir;

  @BeforeAll
  static void startEmulator() throws Exception {
    LocalServers.local("up", "--kinesis");
  }

  @AfterAll
  static void stopEmulator() throws Exception {
    LocalServers.local("down", "--kinesis");
  }

  @Test
  void flinkAndSparkReadFromKinesisWhatTheDirectRunnerReadsFromTheFile() throws Exception {
    Path input = RunnerParityTest.writeInput(dir);
    long records = java.nio.file.Files.lines(input).count();
    String stream = "parity-" + System.nanoTime();
    String produced = RunnerParityTest.millrace(dir, "produce", "millrace-direct.jar",
        List.of("produce", "--stream=" + stream, "--shards=2", "--source=file", "--input=" + input, KINESIS));
    assertThat(produced).contains(String.format("put %,d records", records)).contains("0 failed");

    List<String> kinesis = List.of("--source=kinesis", "--stream=" + stream, "--maxRecords=" + records,
        "--maxReadTime=5m", KINESIS);
    Path direct = RunnerParityTest.run(dir, input, "direct-file", "millrace-direct.jar");
    Path flink = RunnerParityTest.run(dir, "flink-kinesis", "millrace-flink.jar",
        concat(kinesis, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));
    Path spark = RunnerParityTest.run(dir, "spark-kinesis", "millrace-spark.jar",
        concat(kinesis, "--runner=SparkRunner", "--sparkMaster=local[2]"));

    List<String> expectedStats = RunnerParityTest.pageStats(direct);
    assertThat(expectedStats).hasSizeGreaterThan(100);
    assertThat(RunnerParityTest.pageStats(flink)).as("Flink page_stats").containsExactlyElementsOf(expectedStats);
    assertThat(RunnerParityTest.pageStats(spark)).as("Spark page_stats").containsExactlyElementsOf(expectedStats);
    List<String> expectedDeadLetters = deadLettersWithoutSource(direct);
    assertThat(expectedDeadLetters).hasSizeGreaterThan(500);
    assertThat(deadLettersWithoutSource(flink)).as("Flink dead_letter").containsExactlyElementsOf(expectedDeadLetters);
    assertThat(deadLettersWithoutSource(spark)).as("Spark dead_letter").containsExactlyElementsOf(expectedDeadLetters);
    assertThat(RunnerParityTest.rows(flink.resolve("dead_letter"), r -> RunnerParityTest.str(r, "source")))
        .allSatisfy(source -> assertThat(source).matches(stream + "/shardId-\\d+/\\d+"));
  }

  @Test
  void anUnboundedFlinkJobWritesWindowsAsEventsArriveInTheStream() throws Exception {
    String stream = "live-" + System.nanoTime();
    Path output = dir.resolve("flink-live");
    java.util.Set<String> windows = new java.util.TreeSet<>();
    Process job = start("flink-live", RunnerParityTest.jarPath("millrace-flink.jar"), List.of("run", "clickstream-analytics",
        "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2", "--checkpointingInterval=2000",
        "--source=kinesis", "--stream=" + stream, KINESIS, "--windowSize=5s", "--allowedLateness=5s",
        "--maxOutOfOrderness=2s", "--idleTimeout=10s", "--output=" + output));
    // Events stamped with the time they are produced, 100 per second for up to 60 s.
    Process producer = start("producer-live", RunnerParityTest.jarPath("millrace-direct.jar"), List.of("produce",
        "--stream=" + stream, "--shards=2", "--source=synthetic", "--maxEvents=6000", "--rate=100",
        "--startTime=" + java.time.Instant.now(), KINESIS));
    try {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(150);
      while (windows.size() < 3 && System.nanoTime() < deadline && job.isAlive()) {
        Thread.sleep(1000);
        for (Path file : dev.millrace.io.parquet.LocalParquetFiles.list(output.resolve("page_stats"))) {
          java.util.regex.Matcher m = FlinkStreamingTest.WINDOW.matcher(file.getFileName().toString());
          if (m.find()) {
            windows.add(m.group(1));
          }
        }
      }
      assertThat(job.isAlive()).as("the unbounded job keeps running:%n%s", log("flink-live")).isTrue();
      assertThat(windows).as("windows written while running:%n%s", log("flink-live")).hasSizeGreaterThanOrEqualTo(3);
    } finally {
      producer.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      job.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertThat(dev.millrace.io.parquet.LocalParquetFiles.readAll(output.resolve("page_stats")))
        .allSatisfy(r -> assertThat((long) r.get("events")).isPositive());
  }

  Process start(String name, Path jar, List<String> args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(
        java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
  }

  String log(String name) throws Exception {
    return java.nio.file.Files.readString(dir.resolve(name + ".log"));
  }

  static List<String> deadLettersWithoutSource(Path output) throws Exception {
    return RunnerParityTest.rows(output.resolve("dead_letter"), r -> String.join("|",
        RunnerParityTest.str(r, "error"), RunnerParityTest.str(r, "message"), RunnerParityTest.str(r, "payload")));
  }

  static List<String> concat(List<String> a, String... b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(List.of(b));
    return all;
  }
}
