package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.LocalServers;
import dev.millrace.testing.WithLocalServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * campaign-analytics unchanged on every runner: a generated data set (orphans of every reason, repeats,
 * early and late clicks, duplicates and malformed records in all three streams) through the Direct,
 * Flink and Spark jars from files, and through streaming Flink, Spark and Direct jobs from three streams of
 * the local Kinesis emulator, gives the same rows in every dataset (windowed ones when streaming: each
 * window's last pane), dead letters included.
 */
@IntegrationTest
@WithLocalServers({"--kinesis", "--flink"})
class CampaignParityTest {
  static final String TEMPLATE = "campaign-analytics";
  static final Map<String, String[]> DATASETS = Map.of(
      "attributions", new String[] {"conversion_id", "user_id", "event_time", "order_value", "click_id",
          "impression_id", "campaign_id"},
      "orphans", new String[] {"click_id", "event_time", "impression_id", "user_id", "reason", "campaign_id"},
      "campaign_stats", new String[] {"campaign_id", "window_start", "window_end", "impressions", "spend", "clicks",
          "conversions", "revenue", "ctr", "cvr", "roas", "advertiser", "pane_index", "pane_timing"},
      "audience_stats", new String[] {"campaign_id", "segment", "window_start", "window_end", "impressions", "spend",
          "clicks", "conversions", "revenue", "ctr", "cvr", "roas", "advertiser", "pane_index", "pane_timing"});
  static final List<String> STREAMS = List.of("impressions", "clicks", "conversions");

  @TempDir static Path dir;

  @Test
  void directFlinkSparkAndThreeKinesisStreamsGiveTheSameRows() throws Exception {
    Path data = dir.resolve("data");
    // 5,000 impressions at 1/s (1 h 23 m of event time) over 300 users: every orphan reason, many attributions.
    RunnerParityTest.millrace(dir, "campaign-generate", "millrace-direct.jar", List.of("generate",
        "--template=" + TEMPLATE, "--dir=" + data, "--maxEvents=5000", "--rate=1", "--syntheticUsers=300",
        "--malformedFraction=0.02", "--duplicateFraction=0.01"));
    List<String> tables = List.of("--campaigns=" + data.resolve("campaigns.jsonl"),
        "--customers=" + data.resolve("customers.jsonl"));
    List<String> files = new ArrayList<>(List.of("--source=file"));
    for (String stream : STREAMS) {
      files.add("--" + stream + "=" + data.resolve(stream + ".jsonl"));
    }
    files.addAll(tables);
    Path direct = run("direct", "millrace-direct.jar", files);
    // Flink from files on the local cluster (embedded Flink runs them in RunnerParityTest and from
    // Kinesis below): its many shuffles once ran out of network buffers there ("Insufficient number
    // of network buffers"), restarting for ever.
    Path flinkCluster = run("flink-cluster", "millrace-flink.jar",
        FraudParityTest.concat(files, "--runner=FlinkRunner", "--flinkMaster=" + LocalServers.TESTS.flinkMaster(), "--parallelism=2"));
    Path spark = run("spark", "millrace-spark.jar",
        FraudParityTest.concat(files, "--runner=SparkRunner", "--sparkMaster=local[2]"));

    List<String> streams = new ArrayList<>(List.of("--source=kinesis", FraudParityTest.KINESIS));
    streams.addAll(tables);
    List<String> counts = new ArrayList<>();
    for (String stream : STREAMS) {
      String name = stream + "-" + System.nanoTime();
      Path file = data.resolve(stream + ".jsonl");
      long records = Files.lines(file).count();
      String produced = RunnerParityTest.millrace(dir, "campaign-produce-" + stream, "millrace-direct.jar",
          List.of("produce", "--stream=" + name, "--shards=2", "--source=file", "--input=" + file,
              FraudParityTest.KINESIS));
      assertThat(produced).contains(String.format("put %,d records", records)).contains("0 failed");
      streams.add("--" + stream + "Stream=" + name);
      counts.add("--" + stream + "MaxRecords=" + records);
    }
    // Streaming jobs (Flink, Spark, Direct) that end after each stream's own count of records: their
    // watermarks go to the end of time, every window and attribution becomes final, and the reference
    // tables are loaded once.
    List<String> streaming = FraudParityTest.concat(streams, "--streaming=true", "--allowedLateness=1h");
    streaming.addAll(counts);
    Path flinkStreaming = run("flink-kinesis-streaming", "millrace-flink.jar", FraudParityTest.concat(streaming,
        "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));
    // Spark has no event-time timers in streaming: both joins run as one step on watermark ticks.
    Path sparkStreaming = run("spark-kinesis-streaming", "millrace-spark.jar", FraudParityTest.concat(streaming,
        "--runner=SparkRunner", "--sparkMaster=local[2]"));
    Path directStreaming = run("direct-kinesis-streaming", "millrace-direct.jar", streaming);

    List<String> orphans = LocalParquetFiles.rows(direct.resolve("orphans"), "reason");
    for (String reason : List.of("no_impression", "user_mismatch", "too_late", "repeat_click")) {
      assertThat(orphans).as(reason).anyMatch(row -> row.startsWith(reason + "|"));
    }
    List<String> deadLetters = LocalParquetFiles.rows(direct.resolve("dead_letter"), SensorParityTest.DEAD_LETTERS);
    assertThat(deadLetters).hasSizeGreaterThan(100);
    for (Map.Entry<String, String[]> dataset : DATASETS.entrySet()) {
      List<String> expected = LocalParquetFiles.rows(direct.resolve(dataset.getKey()), dataset.getValue());
      assertThat(expected).as(dataset.getKey()).hasSizeGreaterThan(10);
      for (Path other : List.of(flinkCluster, spark)) {
        assertThat(LocalParquetFiles.rows(other.resolve(dataset.getKey()), dataset.getValue()))
            .as(other.getFileName() + " " + dataset.getKey()).containsExactlyElementsOf(expected);
      }
    }
    for (Map.Entry<String, String[]> dataset : DATASETS.entrySet()) {
      boolean panes = List.of(dataset.getValue()).contains("pane_index");
      List<String> expected = panes ? SensorParityTest.lastPanes(direct, dataset.getKey(), dataset.getValue())
          : LocalParquetFiles.rows(direct.resolve(dataset.getKey()), dataset.getValue());
      for (Path other : List.of(flinkStreaming, sparkStreaming, directStreaming)) {
        assertThat(panes ? SensorParityTest.lastPanes(other, dataset.getKey(), dataset.getValue())
                : LocalParquetFiles.rows(other.resolve(dataset.getKey()), dataset.getValue()))
            .as(other.getFileName() + " " + dataset.getKey() + (panes ? ", last panes" : ""))
            .containsExactlyElementsOf(expected);
      }
    }
    for (Path other : List.of(flinkCluster, spark, flinkStreaming, sparkStreaming, directStreaming)) {
      assertThat(LocalParquetFiles.rows(other.resolve("dead_letter"), SensorParityTest.DEAD_LETTERS))
          .as(other.getFileName() + " dead_letter").containsExactlyElementsOf(deadLetters);
    }
  }

  static Path run(String name, String jar, List<String> args) throws Exception {
    Path output = dir.resolve("campaign-" + name);
    List<String> all = new ArrayList<>(List.of("run", TEMPLATE, "--output=" + output));
    all.addAll(args);
    assertThat(RunnerParityTest.millrace(dir, "campaign-" + name, jar, all))
        .contains("Run summary: " + TEMPLATE + ", DONE");
    return output;
  }
}
