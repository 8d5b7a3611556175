package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.LocalServers;
import dev.millrace.testing.WithLocalServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * log-analytics unchanged on every runner: real access log lines through the Direct, Flink and Spark
 * jars give row-identical traffic stats, top paths, sessions and dead letters, from a file (bounded)
 * and from a Kinesis stream (unbounded).
 */
@IntegrationTest
@WithLocalServers({"--kinesis"})
class LogAnalyticsParityTest {
  static final String KINESIS = "--kinesisEndpoint=" + LocalServers.TESTS.kinesisEndpoint();
  static final Path EXCERPT = RunnerParityTest.ROOT.resolve("pipelines/src/test/resources/logs/access_excerpt.log");
  static final String[][] DATASETS = {
    {"traffic_stats", "window_start", "window_end", "requests", "unique_ips", "bytes", "status_2xx", "status_3xx",
        "status_4xx", "status_5xx", "bot_requests", "pane_index", "pane_timing"},
    {"top_paths", "window_start", "rank", "path", "requests"},
    {"sessions", "ip", "session_start", "session_end", "requests", "bytes", "pages"},
    {"dead_letter", "error", "message", "payload"}};

  @TempDir Path dir;

  Path run(String name, String jar, String... runnerArgs) throws Exception {
    return run(name, jar, List.of("--source=file", "--input=" + EXCERPT), runnerArgs);
  }

  Path run(String name, String jar, List<String> source, String... runnerArgs) throws Exception {
    Path output = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("run", "log-analytics", "--windowSize=15m", "--output=" + output));
    args.addAll(source);
    args.addAll(List.of(runnerArgs));
    assertThat(RunnerParityTest.millrace(dir, name, jar, args)).contains("Run summary: log-analytics, DONE");
    return output;
  }

  static List<String> rows(Path output, String dataset, String... fields) throws Exception {
    return dev.millrace.io.parquet.LocalParquetFiles.rows(output.resolve(dataset), fields);
  }

  @Test
  void directFlinkAndSparkWriteTheSameRows() throws Exception {
    Path direct = run("direct", "millrace-direct.jar");
    Path flink = run("flink", "millrace-flink.jar", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
    Path spark = run("spark", "millrace-spark.jar", "--runner=SparkRunner", "--sparkMaster=local[2]");
    assertSameRows(direct, List.of(flink, spark));
  }

  @Test
  void directFlinkAndSparkStreamFromKinesisWhatTheFileRunWrites() throws Exception {
    // A day of the real access log (its first 2,500 lines: 21 windows, ~800 sessions; the committed
    // excerpt's 401 lines where the log is not on the machine) and lines that break the format, one with
    // no time at all, produced into a stream of two shards (lines keyed by client address).
    Path realLog = RunnerParityTest.ROOT.resolveSibling("shared/data/apache_access_combined.log");
    boolean full = Files.exists(realLog);
    List<String> all = Files.readAllLines(full ? realLog : EXCERPT, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(all.subList(0, Math.min(2_500, all.size())));
    lines.add(lines.size() / 3, "83.149.9.216 - - [17/May/2015:10:25:03 +0000] \"GET /truncated");
    lines.add(2 * lines.size() / 3, "not an access log line");
    lines.add("66.249.73.135 - - [32/May/2015:11:05:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"");
    Path input = dir.resolve("access.log");
    Files.write(input, lines, StandardCharsets.UTF_8);
    String stream = "logs-" + System.nanoTime();
    String produced = RunnerParityTest.millrace(dir, "produce", "millrace-direct.jar",
        List.of("produce", "--stream=" + stream, "--shards=2", "--source=file", "--input=" + input, KINESIS));
    assertThat(produced).contains(String.format("put %,d records", lines.size())).contains("0 failed");

    // Unbounded reads that end after the records. Within a shard a line is at most 59 s behind the
    // latest before it (the log's own disorder), inside --maxOutOfOrderness, so no line is late: each
    // window and session has one on-time pane, and every dataset must equal the file run's rows.
    List<String> kinesis = List.of("--source=kinesis", "--stream=" + stream, "--maxRecords=" + lines.size(),
        "--streaming=true", "--allowedLateness=1h", "--maxOutOfOrderness=2m", KINESIS);
    Path file = run("direct-file", "millrace-direct.jar", List.of("--source=file", "--input=" + input));
    Path direct = run("direct-kinesis", "millrace-direct.jar", kinesis);
    Path flink = run("flink-kinesis", "millrace-flink.jar", kinesis, "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2");
    Path spark = run("spark-kinesis", "millrace-spark.jar", kinesis, "--runner=SparkRunner", "--sparkMaster=local[2]");
    assertThat(Files.readString(dir.resolve("spark-kinesis.log")))
        .as("Spark ran it as a streaming job").contains("the input has ended and its last windows are written");
    assertThat(rows(file, "traffic_stats", "window_start")).hasSizeGreaterThanOrEqualTo(full ? 20 : 4);
    assertThat(rows(file, "dead_letter", "error")).hasSizeGreaterThanOrEqualTo(3);
    assertSameRows(file, List.of(direct, flink, spark));
  }

  /** Every dataset of each other run equals the expected run's, row for row (dead letters without their source). */
  static void assertSameRows(Path expectedRun, List<Path> others) throws Exception {
    for (String[] d : DATASETS) {
      String[] fields = java.util.Arrays.copyOfRange(d, 1, d.length);
      List<String> expected = rows(expectedRun, d[0], fields);
      assertThat(expected).as(d[0]).isNotEmpty();
      for (Path other : others) {
        assertThat(rows(other, d[0], fields)).as(other.getFileName() + " " + d[0]).containsExactlyElementsOf(expected);
      }
    }
  }
}
