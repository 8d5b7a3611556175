package dev.millrace.io.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.transforms.model.PageStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(BeamPipelineExtension.class)
class PartitionedParquetIOTest {

  static PageStats row(String windowStart, String page, long events, double revenue) {
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
        .setPaneIndex(0)
        .setPaneTiming("ON_TIME")
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

  static long millis(String instant) {
    return Instant.parse(instant).getMillis();
  }

  /** Timestamps come back as epoch milliseconds (Parquet timestamp-millis). */
  static String describe(GenericRecord r) {
    return r.get("window_start") + " " + r.get("window_end") + " " + r.get("page") + " "
        + r.get("events") + " " + r.get("revenue") + " " + r.get("pane_timing");
  }
}
