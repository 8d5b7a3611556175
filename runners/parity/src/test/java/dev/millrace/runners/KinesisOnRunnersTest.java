package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

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
