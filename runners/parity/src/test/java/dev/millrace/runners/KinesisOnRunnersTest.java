package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.LocalServers;
import dev.millrace.testing.WithLocalServers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kinesis source on every runner: the parity input is produced into a stream on the local
 * emulator, read back by streaming Direct, Flink and Spark jobs (Spark embedded and submitted to the
 * local Spark cluster), and must give the final page stats and the dead letters of the Direct file
 * run, row for row (dead letters then name stream/shard/sequence).
 */
@IntegrationTest
@WithLocalServers({"--kinesis", "--spark"})
class KinesisOnRunnersTest {
  static final String KINESIS = "--kinesisEndpoint=" + LocalServers.TESTS.kinesisEndpoint();

  @TempDir static Path dir;

  @Test
  void directFlinkAndSparkStreamFromKinesisWhatTheDirectRunnerReadsFromTheFile() throws Exception {
    // A third of RunnerParityTest's input, with the same troubles: Spark's streaming windows keep a
    // window's events in a bag that each new event decodes and rewrites whole, which is where its
    // run spends its time (15.7k records: 193 s in CI; 5.1k: 63 s on a 2-core machine).
    Path input = RunnerParityTest.writeInput(dir, 5_000, RunnerParityTest.TROUBLED_CLICKS);
    long records = java.nio.file.Files.lines(input).count();
    String stream = "parity-" + System.nanoTime();
    String produced = RunnerParityTest.millrace(dir, "produce", "millrace-direct.jar",
        List.of("produce", "--stream=" + stream, "--shards=2", "--source=file", "--input=" + input, KINESIS));
    assertThat(produced).contains(String.format("put %,d records", records)).contains("0 failed");

    // Streaming jobs: with --streaming=true the read stays unbounded and its watermark ends after the
    // records. An hour of lateness keeps every out-of-order and late event in its window, so each
    // (window, page)'s last pane must hold the numbers of the bounded file run.
    List<String> kinesis = List.of("--source=kinesis", "--stream=" + stream, "--maxRecords=" + records,
        "--streaming=true", "--allowedLateness=1h", "--idleTimeout=10s", KINESIS);
    Path direct = RunnerParityTest.run(dir, input, "direct-file", "millrace-direct.jar");
    Path directStreaming = RunnerParityTest.run(dir, "direct-kinesis", "millrace-direct.jar", kinesis);
    Path flink = RunnerParityTest.run(dir, "flink-kinesis", "millrace-flink.jar",
        concat(kinesis, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));
    Path spark = RunnerParityTest.run(dir, "spark-kinesis", "millrace-spark.jar",
        concat(kinesis, "--runner=SparkRunner", "--sparkMaster=local[2]"));
    Path sparkCluster = RunnerParityTest.run(dir, "spark-cluster-kinesis", "millrace-spark.jar",
        concat(kinesis, "--runner=SparkRunner", "--sparkMaster=" + LocalServers.TESTS.sparkMaster()));
    for (String run : List.of("spark-kinesis", "spark-cluster-kinesis")) {
      assertThat(java.nio.file.Files.readString(dir.resolve(run + ".log")))
          .as(run + ": Spark ran it as a streaming job").contains("the input has ended and its last windows are written");
    }

    List<String> expectedStats = lastPanes(direct);
    assertThat(expectedStats).hasSizeGreaterThan(100);
    assertThat(lastPanes(directStreaming)).as("Direct (unbounded) page_stats").containsExactlyElementsOf(expectedStats);
    assertThat(lastPanes(flink)).as("Flink page_stats").containsExactlyElementsOf(expectedStats);
    assertThat(lastPanes(spark)).as("Spark page_stats").containsExactlyElementsOf(expectedStats);
    assertThat(lastPanes(sparkCluster)).as("Spark cluster page_stats").containsExactlyElementsOf(expectedStats);
    List<String> expectedDeadLetters = deadLettersWithoutSource(direct);
    assertThat(expectedDeadLetters).hasSizeGreaterThan(150);
    assertThat(deadLettersWithoutSource(directStreaming)).as("Direct (unbounded) dead_letter")
        .containsExactlyElementsOf(expectedDeadLetters);
    assertThat(deadLettersWithoutSource(flink)).as("Flink dead_letter").containsExactlyElementsOf(expectedDeadLetters);
    assertThat(deadLettersWithoutSource(spark)).as("Spark dead_letter").containsExactlyElementsOf(expectedDeadLetters);
    assertThat(deadLettersWithoutSource(sparkCluster)).as("Spark cluster dead_letter")
        .containsExactlyElementsOf(expectedDeadLetters);
    assertThat(RunnerParityTest.rows(flink.resolve("dead_letter"), r -> RunnerParityTest.str(r, "source")))
        .allSatisfy(source -> assertThat(source).matches(stream + "/shardId-\\d+/\\d+"));
  }

  /** Each (window, page)'s last pane, without its pane fields (a streaming run's panes are its own). */
  static List<String> lastPanes(Path output) throws Exception {
    java.util.Map<String, org.apache.avro.generic.GenericRecord> last = new java.util.TreeMap<>();
    for (org.apache.avro.generic.GenericRecord r : dev.millrace.io.parquet.LocalParquetFiles.readAll(output.resolve("page_stats"))) {
      String key = RunnerParityTest.str(r, "window_start") + "," + RunnerParityTest.str(r, "page");
      last.merge(key, r, (a, b) -> (long) a.get("pane_index") >= (long) b.get("pane_index") ? a : b);
    }
    return last.values().stream()
        .map(r -> String.join(",", RunnerParityTest.str(r, "window_start"), RunnerParityTest.str(r, "window_end"),
            RunnerParityTest.str(r, "page"), RunnerParityTest.str(r, "events"), RunnerParityTest.str(r, "views"),
            RunnerParityTest.str(r, "clicks"), RunnerParityTest.str(r, "add_to_carts"), RunnerParityTest.str(r, "purchases"),
            RunnerParityTest.str(r, "revenue"), RunnerParityTest.str(r, "unique_users")))
        .sorted()
        .collect(java.util.stream.Collectors.toList());
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
