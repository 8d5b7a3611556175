package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.IntegrationTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * log-analytics unchanged on every runner: real access log lines through the Direct, Flink and Spark
 * jars give row-identical traffic stats, top paths, sessions and dead letters.
 */
@IntegrationTest
class LogAnalyticsParityTest {
  @TempDir Path dir;

  Path run(String name, String jar, String... runnerArgs) throws Exception {
    Path input = RunnerParityTest.ROOT.resolve("pipelines/src/test/resources/logs/access_excerpt.log");
    Path output = dir.resolve(name);
    List<String> args = new java.util.ArrayList<>(List.of("run", "log-analytics", "--source=file",
        "--input=" + input, "--windowSize=15m", "--output=" + output));
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
    String[][] datasets = {
      {"traffic_stats", "window_start", "window_end", "requests", "unique_ips", "bytes", "status_2xx", "status_3xx",
          "status_4xx", "status_5xx", "bot_requests", "pane_index", "pane_timing"},
      {"top_paths", "window_start", "rank", "path", "requests"},
      {"sessions", "ip", "session_start", "session_end", "requests", "bytes", "pages"},
      {"dead_letter", "error", "message", "payload"}};
    for (String[] d : datasets) {
      String[] fields = java.util.Arrays.copyOfRange(d, 1, d.length);
      List<String> expected = rows(direct, d[0], fields);
      assertThat(expected).as(d[0]).isNotEmpty();
      assertThat(rows(flink, d[0], fields)).as("Flink " + d[0]).containsExactlyElementsOf(expected);
      assertThat(rows(spark, d[0], fields)).as("Spark " + d[0]).containsExactlyElementsOf(expected);
    }
  }
}
