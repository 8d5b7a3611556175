package dev.millrace.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.parquet.PartitionedParquetIO;
import dev.millrace.io.parquet.Partitioning;
import dev.millrace.io.s3.PathStyleS3ClientBuilderFactory;
import dev.millrace.model.PageStats;
import dev.millrace.pipelines.clickstream.ClickstreamAnalytics;
import dev.millrace.pipelines.clickstream.ClickstreamAnalyticsOptions;
import dev.millrace.pipelines.fraud.FraudDetection;
import dev.millrace.pipelines.fraud.FraudDetectionOptions;
import dev.millrace.pipelines.logs.LogAnalytics;
import dev.millrace.pipelines.logs.LogAnalyticsOptions;
import dev.millrace.testing.Chromium;
import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.LocalServers;
import dev.millrace.testing.TemplateRuns;
import dev.millrace.transforms.window.Windowing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics stage over real outputs of both templates: each dataset's view keeps the last pane
 * of each window, the report's numbers equal the Parquet files', the page renders its charts in
 * headless Chromium, and an s3:// lake on the local S3 server gives the same answers.
 */
class OutputLakeTest {
  @TempDir static Path dir;
  static Path clicks;
  static Path logs;

  static final String[] S3 = {"--awsRegion=us-east-1", "--endpoint=" + LocalServers.TESTS.s3Endpoint(),
      "--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName()};

  @BeforeAll
  static void writeOutputs() throws Exception {
    clicks = dir.resolve("clicks");
    // Late events with a short lateness make LATE panes: the views must keep only the last one.
    ClickstreamAnalytics.run(PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
        "--source=synthetic", "--maxEvents=4000", "--rate=50",
        "--lateFraction=0.05", "--lateBy=1m", "--duplicateFraction=0.02", "--malformedFraction=0.02",
        "--lateFiringDelay=0s", "--output=" + clicks)).as(ClickstreamAnalyticsOptions.class)).waitUntilFinish();
    logs = dir.resolve("logs");
    LogAnalytics.run(PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
        "--source=file", "--windowSize=30m", "--output=" + logs,
        "--input=" + LocalServers.root().resolve("pipelines/src/test/resources/logs/access_excerpt.log")))
        .as(LogAnalyticsOptions.class)).waitUntilFinish();
  }

  static List<String> query(OutputLake lake, String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Statement s = lake.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.append(rs.getObject(i) instanceof java.time.OffsetDateTime t ? t.toInstant().toEpochMilli() : rs.getObject(i))
              .append('|');
        }
        rows.add(row.toString());
      }
    }
    rows.sort(Comparator.naturalOrder());
    return rows;
  }

  /** The last pane of each (window, key) straight from the Parquet files, by pane_index. */
  static List<GenericRecord> lastPanes(Path dataset, String... keys) throws Exception {
    Map<String, GenericRecord> last = new HashMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(dataset)) {
      String key = java.util.Arrays.stream(keys).map(k -> String.valueOf(r.get(k))).collect(Collectors.joining("|"));
      GenericRecord seen = last.get(key);
      if (seen == null || (long) r.get("pane_index") > (long) seen.get("pane_index")) {
        last.put(key, r);
      }
    }
    return new ArrayList<>(last.values());
  }

  static final class ToPageStatsFn extends DoFn<KV<String, Long>, PageStats> {
    @ProcessElement
    public void process(@Element KV<String, Long> count, BoundedWindow window, PaneInfo pane, OutputReceiver<PageStats> out) {
      IntervalWindow w = (IntervalWindow) window;
      out.output(PageStats.builder().setWindowStart(w.start()).setWindowEnd(w.end()).setPage(count.getKey())
          .setEvents(count.getValue()).setViews(count.getValue()).setClicks(0).setAddToCarts(0).setPurchases(0)
          .setRevenue(0).setUniqueUsers(1).setPaneIndex(pane.getIndex()).setPaneTiming(Windowing.timingOf(pane))
          .build());
    }
  }

  static PipelineOptions local() {
    return PipelineOptionsFactory.create();
  }

  @Test
  void viewsKeepTheLastPaneOfEachWindow() throws Exception {
    // Deterministic panes: /home gets a LATE pane, /cart does not.
    Path panes = dir.resolve("panes");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    Instant start = Instant.parse("2026-11-27T10:00:00Z");
    p.apply(TestStream.create(StringUtf8Coder.of())
            .addElements(TimestampedValue.of("/home", start.plus(Duration.standardSeconds(1))),
                TimestampedValue.of("/cart", start.plus(Duration.standardSeconds(2))))
            .advanceWatermarkTo(start.plus(Duration.standardMinutes(2)))
            .addElements(TimestampedValue.of("/home", start.plus(Duration.standardSeconds(30))))
            .advanceWatermarkToInfinity())
        .apply(Windowing.fixed(Duration.standardMinutes(1)).withAllowedLateness(Duration.standardMinutes(5))
            .withLateFiringDelay(Duration.ZERO).<String>into())
        .apply(Count.perElement())
        .apply(ParDo.of(new ToPageStatsFn()))
        .apply(PartitionedParquetIO.<PageStats>write().to(panes.toString()).withDataset("page_stats")
            .withPartitioning(Partitioning.byHour("window_start")));
    p.run().waitUntilFinish();
    assertThat(LocalParquetFiles.readAll(panes.resolve("page_stats"))).hasSize(3);
    try (OutputLake lake = OutputLake.open(panes.toString(), local())) {
      assertThat(query(lake, "SELECT page, events, pane_index, pane_timing FROM page_stats"))
          .containsExactly("/cart|1|0|ON_TIME|", "/home|2|1|LATE|");
    }

    List<String> expected = lastPanes(clicks.resolve("page_stats"), "window_start", "page").stream()
        .map(r -> r.get("window_start") + "|" + r.get("page") + "|" + r.get("events") + "|" + r.get("pane_index") + "|")
        .sorted().collect(Collectors.toList());
    try (OutputLake lake = OutputLake.open(clicks.toString(), local())) {
      assertThat(lake.datasets()).containsExactly("dead_letter", "page_stats");
      assertThat(query(lake, "SELECT window_start, page, events, pane_index FROM page_stats")).isEqualTo(expected);
      assertThat(query(lake, "SELECT count(*) FROM dead_letter"))
          .containsExactly(LocalParquetFiles.readAll(clicks.resolve("dead_letter")).size() + "|");
    }
    try (OutputLake lake = OutputLake.open(logs.toString(), local())) {
      assertThat(lake.datasets()).containsExactly("dead_letter", "sessions", "top_paths", "traffic_stats");
      for (String dataset : lake.datasets()) {
        assertThat(query(lake, "SELECT count(*) FROM " + dataset).get(0)).as(dataset).isNotEqualTo("0|");
      }
      assertThat(query(lake, "SELECT sum(requests) FROM traffic_stats")).containsExactly("400|");
      assertThat(query(lake, "SELECT max(rank) FROM top_paths")).containsExactly("10|");
    }
  }

  @Test
  void theReportsNumbersAreTheParquetFilesNumbersAndItRendersInChromium() throws Exception {
    Map<String, Double> eventsPerWindow = new TreeMap<>();
    for (GenericRecord r : lastPanes(clicks.resolve("page_stats"), "window_start", "page")) {
      eventsPerWindow.merge(String.valueOf(r.get("window_start")), ((Long) r.get("events")).doubleValue(), Double::sum);
    }
    Map<String, Double> deadByReason = new TreeMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(clicks.resolve("dead_letter"))) {
      deadByReason.merge(r.get("error").toString(), 1.0, Double::sum);
    }
    try (OutputLake lake = OutputLake.open(clicks.toString(), local())) {
      Report report = new Report(lake, clicks.toString());
      JsonNode data = report.data();
      assertThat(sumOf(data.get("events_per_window"))).isEqualTo(eventsPerWindow.values().stream().mapToDouble(d -> d).sum());
      assertThat(data.get("events_per_window").get("y").size()).isEqualTo(eventsPerWindow.size());
      assertThat(toMap(data.get("dead_letters_by_reason"))).isEqualTo(deadByReason);
      Path html = dir.resolve("clicks-report.html");
      Files.writeString(html, report.html(), StandardCharsets.UTF_8);
      assertRendered(html, data);
      // Self-contained: no external script, stylesheet, font or image.
      assertThat(Files.readString(html)).doesNotContainPattern("<script[^>]+src=|<link|@import|url\\(|<img");
    }
    Map<String, Double> status = new TreeMap<>();
    for (GenericRecord r : lastPanes(logs.resolve("traffic_stats"), "window_start")) {
      for (String c : List.of("2xx", "3xx", "4xx", "5xx")) {
        status.merge(c, ((Long) r.get("status_" + c)).doubleValue(), Double::sum);
      }
    }
    try (OutputLake lake = OutputLake.open(logs.toString(), local())) {
      Report report = new Report(lake, logs.toString());
      assertThat(toMap(report.data().get("status_mix"))).isEqualTo(status);
      assertThat(sumOf(report.data().get("requests_per_window"))).isEqualTo(400.0);
      Path html = dir.resolve("logs-report.html");
      Files.writeString(html, report.html(), StandardCharsets.UTF_8);
      String dom = assertRendered(html, report.data());
      assertThat(dom).contains("data-empty=\"events_per_window\"", "No data: this output has no page_stats dataset.");
    }
  }

  /** Every chart with data is drawn with all its points; returns the rendered DOM. */
  static String assertRendered(Path html, JsonNode data) throws Exception {
    String dom = Chromium.dumpDom(html);
    int charts = 0;
    for (Report.Chart chart : Report.CHARTS) {
      JsonNode d = data.get(chart.key());
      if (d == null || d.get("x").isEmpty()) {
        continue;
      }
      charts++;
      Matcher m = Pattern.compile("data-key=\"" + chart.key() + "\"[^>]*><svg[^>]*data-rendered=\"true\" data-points=\"(\\d+)\"")
          .matcher(dom);
      assertThat(m.find()).as(chart.key() + " drawn in:\n" + dom).isTrue();
      assertThat(Integer.parseInt(m.group(1))).isEqualTo(d.get("x").size());
    }
    assertThat(charts).isGreaterThanOrEqualTo(3);
    return dom;
  }

  static double sumOf(JsonNode chart) {
    double sum = 0;
    for (JsonNode v : chart.get("y")) {
      sum += v.asDouble();
    }
    return sum;
  }

  static Map<String, Double> toMap(JsonNode chart) {
    Map<String, Double> map = new TreeMap<>();
    for (int i = 0; i < chart.get("x").size(); i++) {
      map.put(chart.get("x").get(i).asText(), chart.get("y").get(i).asDouble());
    }
    return map;
  }

  @Test
  @IntegrationTest
  void aLakeOnTheLocalS3ServerGivesTheSameAnswers() throws Exception {
    LocalServers.local("up", "--s3");
    try {
      String prefix = "s3://millrace/lake-" + UUID.randomUUID();
      List<String> args = new ArrayList<>(List.of("--source=file", "--output=" + prefix, "--windowSize=30m",
          "--input=" + LocalServers.root().resolve("pipelines/src/test/resources/logs/access_excerpt.log")));
      args.addAll(List.of(S3));
      LogAnalytics.run(PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
          args.toArray(new String[0]))).as(LogAnalyticsOptions.class))
          .waitUntilFinish();
      // clickstream-analytics too, from one file to both places.
      Path input = dir.resolve("clicks.jsonl");
      dev.millrace.io.synthetic.ClickstreamGenerator generator = new dev.millrace.io.synthetic.ClickstreamGenerator(
          dev.millrace.io.synthetic.SyntheticClickstreamConfig.builder().setDuplicateFraction(0.02)
              .setMalformedFraction(0.02).build());
      List<String> lines = new ArrayList<>();
      for (long n = 0; n < 2_000; n++) {
        lines.addAll(generator.recordsOf(n));
      }
      Files.write(input, lines, StandardCharsets.UTF_8);
      String clicksPrefix = prefix + "-clicks";
      List<String> clickArgs = new ArrayList<>(List.of("--source=file", "--input=" + input, "--output=" + clicksPrefix));
      clickArgs.addAll(List.of(S3));
      ClickstreamAnalytics.run(PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
          clickArgs.toArray(new String[0])))
          .as(ClickstreamAnalyticsOptions.class)).waitUntilFinish();
      Path clicksHere = dir.resolve("clicks-local");
      ClickstreamAnalytics.run(PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
          "--source=file", "--input=" + input,
          "--output=" + clicksHere)).as(ClickstreamAnalyticsOptions.class)).waitUntilFinish();

      // fraud-detection: synthetic transactions and accounts, deterministic, to both places.
      String fraudPrefix = prefix + "-fraud";
      Path fraudHere = dir.resolve("fraud-local");
      for (String output : List.of(fraudPrefix, fraudHere.toString())) {
        List<String> fraudArgs = new ArrayList<>(List.of("--maxEvents=3000", "--malformedFraction=0.02",
            "--syntheticAccounts=500", "--output=" + output));
        fraudArgs.addAll(List.of(S3));
        FraudDetection.run(PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
            fraudArgs.toArray(new String[0])))
            .as(FraudDetectionOptions.class)).waitUntilFinish();
      }

      PipelineOptions s3 = PipelineOptionsFactory.fromArgs(S3).create();
      for (String[] pair : new String[][] {{prefix, logs.toString()}, {clicksPrefix, clicksHere.toString()},
          {fraudPrefix, fraudHere.toString()}}) {
        try (OutputLake remote = OutputLake.open(pair[0], s3); OutputLake here = OutputLake.open(pair[1], local())) {
          assertThat(remote.datasets()).isEqualTo(here.datasets()).isNotEmpty();
          for (String dataset : here.datasets()) {
            // Dead letters and alerts carry the time they were written or raised.
            String sql = dataset.equals("dead_letter") ? "SELECT payload, error FROM dead_letter"
                : dataset.equals("alerts") ? "SELECT * EXCLUDE (detected_at) FROM alerts" : "SELECT * FROM " + dataset;
            assertThat(query(remote, sql)).as(dataset).isNotEmpty().isEqualTo(query(here, sql));
          }
        }
      }
    } finally {
      LocalServers.local("down", "--s3");
    }
  }
}
