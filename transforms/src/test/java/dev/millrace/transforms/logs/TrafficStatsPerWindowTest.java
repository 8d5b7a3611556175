package dev.millrace.transforms.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.model.AccessLogEntry;
import dev.millrace.model.Accounting;
import dev.millrace.model.TopPath;
import dev.millrace.model.TrafficStats;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.testing.Counters;
import dev.millrace.transforms.window.Windowing;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Per-window totals, exact unique IPs, the top paths ranking, window boundaries and panes. */
@ExtendWith(BeamPipelineExtension.class)
class TrafficStatsPerWindowTest {
  static final String DAY = "2026-11-27T";

  static TimestampedValue<AccessLogEntry> req(String ip, String time, @Nullable String path, int status, long bytes,
      boolean bot) {
    Instant t = Instant.parse(DAY + time + "Z");
    AccessLogEntry e = AccessLogEntry.builder()
        .setIp(ip)
        .setEventTime(t)
        .setMethod(path == null ? null : "GET")
        .setPath(path)
        .setProtocol(path == null ? null : "HTTP/1.1")
        .setStatus(status)
        .setBytes(bytes)
        .setUserAgent(bot ? "Googlebot/2.1" : "Mozilla/5.0")
        .setBot(bot)
        .build();
    return TimestampedValue.of(e, t);
  }

  static TimestampedValue<AccessLogEntry> req(String ip, String time, @Nullable String path, int status, long bytes) {
    return req(ip, time, path, status, bytes, false);
  }

  static TrafficStats stats(String start, String end, long requests, long ips, long bytes,
      long s2, long s3, long s4, long s5, long bots, long paneIndex, String timing) {
    return TrafficStats.builder()
        .setWindowStart(Instant.parse(DAY + start + "Z"))
        .setWindowEnd(Instant.parse(DAY + end + "Z"))
        .setRequests(requests)
        .setUniqueIps(ips)
        .setBytes(bytes)
        .setStatus2xx(s2)
        .setStatus3xx(s3)
        .setStatus4xx(s4)
        .setStatus5xx(s5)
        .setBotRequests(bots)
        .setPaneIndex(paneIndex)
        .setPaneTiming(timing)
        .build();
  }

  static TopPath top(String start, String end, int rank, String path, long requests) {
    return TopPath.create(Instant.parse(DAY + start + "Z"), Instant.parse(DAY + end + "Z"), rank, path, requests);
  }

  static PCollection<AccessLogEntry> created(TestPipeline p, List<TimestampedValue<AccessLogEntry>> entries) {
    try {
      return p.apply(Create.timestamped(entries).withCoder(p.getSchemaRegistry().getSchemaCoder(AccessLogEntry.class)));
    } catch (NoSuchSchemaException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void totalsPerWindowTopPathsByRequestsThenPathAndTheWindowEndInTheNextWindow(TestPipeline p) {
    List<TimestampedValue<AccessLogEntry>> entries = List.of(
        req("1.1.1.1", "10:00:00", "/z", 200, 100),
        req("1.1.1.1", "10:01:00", "/m", 200, 200),
        req("2.2.2.2", "10:02:00", "/z", 304, 0),
        req("3.3.3.3", "10:03:00", "/b", 404, 50, true),
        req("2.2.2.2", "10:04:59.999", "/z", 500, 1000),
        // A request line of "-": counted in the traffic, in no ranking.
        req("3.3.3.3", "10:04:00", null, 408, 0),
        req("1.1.1.1", "10:04:30", "/m", 201, 7),
        req("2.2.2.2", "10:02:30", "/b", 200, 3),
        req("1.1.1.1", "10:03:30", "/a", 302, 40),
        // Exactly at the first window's end: the second window [10:05, 10:10).
        req("4.4.4.4", "10:05:00", "/z", 200, 10));

    PCollectionTuple out = created(p, entries)
        .apply(TrafficStatsPerWindow.create().withWindowing(Windowing.fixed(Duration.standardMinutes(5))).withTopN(3));

    // [10:00, 10:05): 9 requests from 3 addresses; bytes 100+200+0+50+1000+0+7+3+40 = 1400;
    // 2xx: 200, 200, 201, 200; 3xx: 304, 302; 4xx: 404, 408; 5xx: 500.
    PAssert.that(out.get(TrafficStatsPerWindow.STATS)).containsInAnyOrder(
        stats("10:00:00", "10:05:00", 9, 3, 1400, 4, 2, 2, 1, 1, 0, "ON_TIME"),
        stats("10:05:00", "10:10:00", 1, 1, 10, 1, 0, 0, 0, 0, 0, "ON_TIME"));
    // /z 3, then /b and /m with 2 each (by path ascending), /a (1) is cut off although first by name.
    PAssert.that(out.get(TrafficStatsPerWindow.TOP_PATHS)).containsInAnyOrder(
        top("10:00:00", "10:05:00", 1, "/z", 3),
        top("10:00:00", "10:05:00", 2, "/b", 2),
        top("10:00:00", "10:05:00", 3, "/m", 2),
        top("10:05:00", "10:10:00", 1, "/z", 1));
    p.run().waitUntilFinish();
  }

  @Test
  void tiesAreRankedByPathAscendingWhateverTheirCount(TestPipeline p) {
    List<TimestampedValue<AccessLogEntry>> entries = List.of(
        req("1.1.1.1", "10:00:01", "/zeta", 200, 1),
        req("1.1.1.1", "10:00:02", "/Beta", 200, 1),
        req("1.1.1.1", "10:00:03", "/alpha", 200, 1),
        req("1.1.1.1", "10:00:04", "/alpha", 200, 1),
        req("1.1.1.1", "10:00:05", "/zeta", 200, 1),
        req("1.1.1.1", "10:00:06", "/Beta", 200, 1),
        req("1.1.1.1", "10:00:07", "/mid", 200, 1));

    PCollectionTuple out = created(p, entries)
        .apply(TrafficStatsPerWindow.create().withWindowing(Windowing.fixed(Duration.standardMinutes(1))).withTopN(10));

    // Three paths with 2 each: by String order ("/B" < "/a" < "/z"), then /mid with 1; fewer than topN rows.
    PAssert.that(out.get(TrafficStatsPerWindow.TOP_PATHS)).containsInAnyOrder(
        top("10:00:00", "10:01:00", 1, "/Beta", 2),
        top("10:00:00", "10:01:00", 2, "/alpha", 2),
        top("10:00:00", "10:01:00", 3, "/zeta", 2),
        top("10:00:00", "10:01:00", 4, "/mid", 1));
    p.run().waitUntilFinish();
  }

  @Test
  void uniqueIpsAreExact(TestPipeline p) {
    // 5,000 distinct addresses, each seen twice (and once more for every tenth): an estimate would miss.
    List<TimestampedValue<AccessLogEntry>> entries = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      String ip = "10." + (i / 256 / 256) + "." + (i / 256 % 256) + "." + (i % 256);
      entries.add(req(ip, "10:00:10", "/p", 200, 1));
      entries.add(req(ip, "10:00:20", "/p", 200, 1));
      if (i % 10 == 0) {
        entries.add(req(ip, "10:00:30", "/p", 200, 1));
      }
    }

    PCollectionTuple out = created(p, entries)
        .apply(TrafficStatsPerWindow.create().withWindowing(Windowing.fixed(Duration.standardMinutes(1))));

    PAssert.that(out.get(TrafficStatsPerWindow.STATS))
        .containsInAnyOrder(stats("10:00:00", "10:01:00", 10_500, 5_000, 10_500, 10_500, 0, 0, 0, 0, 0, "ON_TIME"));
    PAssert.that(out.get(TrafficStatsPerWindow.TOP_PATHS))
        .containsInAnyOrder(top("10:00:00", "10:01:00", 1, "/p", 10_500));
    p.run().waitUntilFinish();
  }

  @Test
  void onTimeThenLateKeptThenLateDropped(TestPipeline p) throws NoSuchSchemaException {
    TestStream<AccessLogEntry> stream =
        TestStream.create(p.getSchemaRegistry().getSchemaCoder(AccessLogEntry.class))
            .advanceWatermarkTo(Instant.parse(DAY + "10:00:00Z"))
            .addElements(
                req("1.1.1.1", "10:00:10", "/x", 200, 10),
                req("2.2.2.2", "10:00:20", "/y", 200, 20),
                req("1.1.1.1", "10:01:05", "/x", 200, 1))
            // ON_TIME panes of [10:00, 10:01) and [10:01, 10:02).
            .advanceWatermarkTo(Instant.parse(DAY + "10:03:00Z"))
            // Late, within the 5 minutes of lateness (until 10:06): a LATE pane, accumulated.
            .addElements(req("3.3.3.3", "10:00:40", "/y", 503, 5, true))
            // Past 10:06: dropped and counted.
            .advanceWatermarkTo(Instant.parse(DAY + "10:07:00Z"))
            .addElements(req("4.4.4.4", "10:00:50", "/z", 200, 1000))
            .advanceWatermarkToInfinity();

    PCollectionTuple out = p.apply(stream)
        .apply(TrafficStatsPerWindow.create().withWindowing(
            Windowing.fixed(Duration.standardMinutes(1))
                .withAllowedLateness(Duration.standardMinutes(5))
                .withLateFiringDelay(Duration.ZERO)));

    PAssert.that(out.get(TrafficStatsPerWindow.STATS)).containsInAnyOrder(
        stats("10:00:00", "10:01:00", 2, 2, 30, 2, 0, 0, 0, 0, 0, "ON_TIME"),
        stats("10:00:00", "10:01:00", 3, 3, 35, 2, 0, 0, 1, 1, 1, "LATE"),
        stats("10:01:00", "10:02:00", 1, 1, 1, 1, 0, 0, 0, 0, 0, "ON_TIME"));
    // Each pane's ranking matches its totals: /x and /y tie on time, /y leads after the late request.
    PAssert.that(out.get(TrafficStatsPerWindow.TOP_PATHS)).containsInAnyOrder(
        top("10:00:00", "10:01:00", 1, "/x", 1),
        top("10:00:00", "10:01:00", 2, "/y", 1),
        top("10:00:00", "10:01:00", 1, "/y", 2),
        top("10:00:00", "10:01:00", 2, "/x", 1),
        top("10:01:00", "10:02:00", 1, "/x", 1));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(Counters.attempted(result, Accounting.DROPPED_DUE_TO_LATENESS)).isEqualTo(1);
  }

  @Test
  void theDefaultLateFiringDelayBatchesLateRequestsIntoOnePane(TestPipeline p) throws NoSuchSchemaException {
    TestStream<AccessLogEntry> stream =
        TestStream.create(p.getSchemaRegistry().getSchemaCoder(AccessLogEntry.class))
            .advanceWatermarkTo(Instant.parse(DAY + "10:00:00Z"))
            .addElements(req("1.1.1.1", "10:00:10", "/x", 200, 10))
            .advanceWatermarkTo(Instant.parse(DAY + "10:03:00Z"))
            .addElements(req("2.2.2.2", "10:00:20", "/x", 200, 20))
            .addElements(req("3.3.3.3", "10:00:30", "/x", 200, 30))
            .advanceProcessingTime(Duration.standardSeconds(11))
            .advanceWatermarkToInfinity();

    PCollectionTuple out = p.apply(stream)
        .apply(TrafficStatsPerWindow.create().withWindowing(Windowing.fixed(Duration.standardMinutes(1))));

    PAssert.that(out.get(TrafficStatsPerWindow.STATS)).containsInAnyOrder(
        stats("10:00:00", "10:01:00", 1, 1, 10, 1, 0, 0, 0, 0, 0, "ON_TIME"),
        stats("10:00:00", "10:01:00", 3, 3, 60, 3, 0, 0, 0, 0, 1, "LATE"));
    p.run().waitUntilFinish();
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> TrafficStatsPerWindow.create().withTopN(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrafficStatsPerWindow.create().withWindowing(
            Windowing.sliding(Duration.standardMinutes(5), Duration.standardMinutes(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("traffic statistics need fixed windows");
  }
}
