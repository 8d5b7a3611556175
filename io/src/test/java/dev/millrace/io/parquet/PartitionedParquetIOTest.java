package dev.millrace.io.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.PageStats;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.transforms.window.Windowing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(BeamPipelineExtension.class)
class PartitionedParquetIOTest {

  static PageStats row(String windowStart, String page, long events, double revenue) {
    return row(windowStart, page, events, revenue, 0, "ON_TIME");
  }

  static PageStats row(String windowStart, String page, long events, double revenue, long pane, String timing) {
    Instant start = Instant.parse(windowStart);
    return PageStats.builder()
        .setWindowStart(start)
        .setWindowEnd(start.plus(Duration.standardMinutes(1)))
        .setPage(page)
        .setEvents(events)
        .setViews(events)
        .setClicks(0)
        .setAddToCarts(0)
        .setPurchases(0)
        .setRevenue(revenue)
        .setUniqueUsers(1)
        .setPaneIndex(pane)
        .setPaneTiming(timing)
        .build();
  }

  @Test
  void writesOneFilePerWindowIntoHourPartitionsAndReadsBackTheSameRows(
      TestPipeline p, @TempDir Path dir) throws Exception {
    PageStats a = row("2026-11-27T10:00:00Z", "/home", 3, 1.5);
    PageStats b = row("2026-11-27T10:00:00Z", "/straße", 1, 0);
    PageStats c = row("2026-11-27T11:59:00Z", "/home", 7, 0);
    p.apply(
            Create.timestamped(
                TimestampedValue.of(a, a.getWindowStart()),
                TimestampedValue.of(b, b.getWindowStart()),
                TimestampedValue.of(c, c.getWindowStart())))
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
        .apply(
            PartitionedParquetIO.<PageStats>write()
                .to(dir.toString())
                .withDataset("page_stats")
                .withPartitioning(Partitioning.byHour("window_start")));
    p.run().waitUntilFinish();

    List<String> files;
    try (Stream<Path> all = Files.walk(dir)) {
      files =
          all.filter(Files::isRegularFile)
              .map(f -> dir.relativize(f).toString())
              .sorted()
              .collect(Collectors.toList());
    }
    // Only finished files, no temporary directory left behind.
    assertThat(files)
        .containsExactly(
            "page_stats/dt=2026-11-27/hour=10/page_stats-20261127T100000Z-20261127T100100Z-p0-00000-of-00001.parquet",
            "page_stats/dt=2026-11-27/hour=11/page_stats-20261127T115900Z-20261127T120000Z-p0-00000-of-00001.parquet");

    List<String> rows =
        LocalParquetFiles.readAll(dir.resolve("page_stats")).stream()
            .map(PartitionedParquetIOTest::describe)
            .sorted()
            .collect(Collectors.toList());
    assertThat(rows)
        .containsExactly(
            millis("2026-11-27T10:00:00Z") + " " + millis("2026-11-27T10:01:00Z") + " /home 3 1.5 ON_TIME",
            millis("2026-11-27T10:00:00Z") + " " + millis("2026-11-27T10:01:00Z") + " /straße 1 0.0 ON_TIME",
            millis("2026-11-27T11:59:00Z") + " " + millis("2026-11-27T12:00:00Z") + " /home 7 0.0 ON_TIME");
  }

  /**
   * A bounded input with several shards: each row in exactly one of the window's shard files, and a
   * second run into the same directory (a retried job) rewrites the same files, no row twice.
   */
  @Test
  void aBoundedWriteSplitsAWindowIntoItsShardsTheSameWayEachRun(@TempDir Path dir) throws Exception {
    List<String> firstRun = null;
    for (int run = 0; run < 2; run++) {
      Pipeline p = Pipeline.create(TestPipeline.testingPipelineOptions());
      List<TimestampedValue<PageStats>> rows = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        PageStats r = row("2026-11-27T10:00:00Z", "/page-" + i, i + 1, 0);
        rows.add(TimestampedValue.of(r, r.getWindowStart()));
      }
      p.apply(Create.timestamped(rows))
          .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
          .apply(
              PartitionedParquetIO.<PageStats>write()
                  .to(dir.toString())
                  .withDataset("page_stats")
                  .withPartitioning(Partitioning.byHour("window_start"))
                  .withNumShards(3));
      p.run().waitUntilFinish();

      List<String> files;
      try (Stream<Path> all = Files.walk(dir)) {
        files = all.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted()
            .collect(Collectors.toList());
      }
      assertThat(files).containsExactly(
          "page_stats-20261127T100000Z-20261127T100100Z-p0-00000-of-00003.parquet",
          "page_stats-20261127T100000Z-20261127T100100Z-p0-00001-of-00003.parquet",
          "page_stats-20261127T100000Z-20261127T100100Z-p0-00002-of-00003.parquet");
      List<String> perFile = new ArrayList<>();
      for (String file : files) {
        Path path = dir.resolve("page_stats/dt=2026-11-27/hour=10").resolve(file);
        perFile.add(file + ": " + LocalParquetFiles.readAll(path).stream().map(r -> r.get("page").toString())
            .sorted().collect(Collectors.joining(",")));
      }
      List<String> pages = LocalParquetFiles.readAll(dir.resolve("page_stats")).stream()
          .map(r -> r.get("page").toString()).sorted().collect(Collectors.toList());
      assertThat(pages).hasSize(40).doesNotHaveDuplicates();
      if (firstRun == null) {
        firstRun = perFile;
      } else {
        assertThat(perFile).isEqualTo(firstRun);
      }
    }
  }

  /**
   * A late pane writes only its own rows: the rows' windowing accumulates panes, and the write's
   * grouping must not inherit that (it rewrote every on-time row into the late pane's file).
   */
  @Test
  void aLatePaneFileHoldsOnlyThatPanesRows(TestPipeline p, @TempDir Path dir) throws Exception {
    Instant start = Instant.parse("2026-11-27T10:00:00Z");
    TestStream<String> pages =
        TestStream.create(StringUtf8Coder.of())
            .addElements(TimestampedValue.of("/home", start.plus(Duration.standardSeconds(1))),
                TimestampedValue.of("/cart", start.plus(Duration.standardSeconds(2))),
                TimestampedValue.of("/home", start.plus(Duration.standardSeconds(3))))
            .advanceWatermarkTo(start.plus(Duration.standardMinutes(2)))
            .addElements(TimestampedValue.of("/home", start.plus(Duration.standardSeconds(30))))
            .advanceWatermarkToInfinity();
    p.apply(pages)
        .apply(Windowing.fixed(Duration.standardMinutes(1)).withAllowedLateness(Duration.standardMinutes(5))
            .withLateFiringDelay(Duration.ZERO).<String>into())
        .apply(Count.perElement())
        .apply(ParDo.of(new ToRowFn()))
        .apply(PartitionedParquetIO.<PageStats>write().to(dir.toString()).withDataset("page_stats")
            .withPartitioning(Partitioning.byHour("window_start")));
    p.run().waitUntilFinish();

    assertThat(LocalParquetFiles.readAll(dir.resolve("page_stats")).stream()
            .map(r -> r.get("page") + " " + r.get("events") + " " + r.get("pane_timing"))
            .sorted().collect(Collectors.toList()))
        .containsExactly("/cart 1 ON_TIME", "/home 2 ON_TIME", "/home 3 LATE");
  }

  static final class ToRowFn extends DoFn<KV<String, Long>, PageStats> {
    @ProcessElement
    public void process(@Element KV<String, Long> count, PaneInfo pane, OutputReceiver<PageStats> out) {
      out.output(row("2026-11-27T10:00:00Z", count.getKey(), count.getValue(), 0, pane.getIndex(),
          Windowing.timingOf(pane)));
    }
  }

  static long millis(String instant) {
    return Instant.parse(instant).getMillis();
  }

  /** Timestamps come back as epoch milliseconds (Parquet timestamp-millis). */
  static String describe(GenericRecord r) {
    return r.get("window_start") + " " + r.get("window_end") + " " + r.get("page") + " "
        + r.get("events") + " " + r.get("revenue") + " " + r.get("pane_timing");
  }
}
