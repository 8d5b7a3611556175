package dev.millrace.transforms.window;

import static dev.millrace.transforms.testdata.Events.event;
import static dev.millrace.transforms.testdata.Events.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.Accounting;
import dev.millrace.model.ClickEvent;
import dev.millrace.model.PageStats;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.testing.Counters;
import dev.millrace.transforms.testdata.Events;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The LeaderBoard matrix: on time, early, late but kept, late and dropped; asserted per pane. */
@ExtendWith(BeamPipelineExtension.class)
class PageStatsPerWindowTest {
  static final Instant W0 = Instant.parse("2026-11-27T10:00:00Z");
  static final Instant W1 = Instant.parse("2026-11-27T10:01:00Z");

  static TimestampedValue<ClickEvent> at(ClickEvent e) {
    return TimestampedValue.of(e, e.getEventTime());
  }

  static PageStats stats(
      String page, long events, long views, long clicks, long carts, long purchases,
      double revenue, long users, long paneIndex, String timing) {
    return PageStats.builder()
        .setWindowStart(W0)
        .setWindowEnd(W1)
        .setPage(page)
        .setEvents(events)
        .setViews(views)
        .setClicks(clicks)
        .setAddToCarts(carts)
        .setPurchases(purchases)
        .setRevenue(revenue)
        .setUniqueUsers(users)
        .setPaneIndex(paneIndex)
        .setPaneTiming(timing)
        .build();
  }


  @Test
  void onTimeLateKeptAndLateDropped(TestPipeline p) {
    TestStream<ClickEvent> stream =
        TestStream.create(Events.coder())
            .advanceWatermarkTo(W0)
            .addElements(
                at(event("1", "2026-11-27T10:00:10Z", "u1", "/home", "view")),
                at(purchase("2", "2026-11-27T10:00:20Z", "u2", "/home", 0.1)),
                at(purchase("3", "2026-11-27T10:00:21Z", "u1", "/home", 0.2)),
                at(event("4", "2026-11-27T10:00:30Z", "u3", "/cart", "add_to_cart")),
                // Next window: must not leak into the first.
                at(event("5", "2026-11-27T10:01:05Z", "u1", "/home", "click")))
            // ON_TIME pane for [10:00, 10:01) when the watermark passes its end.
            .advanceWatermarkTo(Instant.parse("2026-11-27T10:02:00Z"))
            // Late but within the 5 minute allowed lateness: a LATE pane, accumulated.
            .addElements(at(event("6", "2026-11-27T10:00:40Z", "u4", "/home", "click")))
            // Past window end + allowed lateness (10:06): dropped and counted.
            .advanceWatermarkTo(Instant.parse("2026-11-27T10:07:00Z"))
            .addElements(at(event("7", "2026-11-27T10:00:50Z", "u5", "/home", "view")))
            .advanceWatermarkToInfinity();

    PCollection<PageStats> stats =
        p.apply(stream)
            .apply(
                PageStatsPerWindow.create().withWindowing(
                    Windowing.fixed(Duration.standardMinutes(1))
                        .withAllowedLateness(Duration.standardMinutes(5))
                        .withLateFiringDelay(Duration.ZERO)));

    PAssert.that(stats)
        .containsInAnyOrder(
            // 0.1 + 0.2 is exactly 0.3: revenue is summed as decimals.
            stats("/home", 3, 1, 0, 0, 2, 0.3, 2, 0, "ON_TIME"),
            stats("/home", 4, 1, 1, 0, 2, 0.3, 3, 1, "LATE"),
            stats("/cart", 1, 0, 0, 1, 0, 0.0, 1, 0, "ON_TIME"),
            PageStats.builder()
                .setWindowStart(W1)
                .setWindowEnd(Instant.parse("2026-11-27T10:02:00Z"))
                .setPage("/home")
                .setEvents(1).setViews(0).setClicks(1).setAddToCarts(0).setPurchases(0)
                .setRevenue(0).setUniqueUsers(1).setPaneIndex(0).setPaneTiming("ON_TIME")
                .build());
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(Counters.attempted(result, Accounting.DROPPED_DUE_TO_LATENESS)).isEqualTo(1);
  }

  @Test
  void aLateFiringDelayBatchesLateEventsIntoOnePane(TestPipeline p) {
    TestStream<ClickEvent> stream =
        TestStream.create(Events.coder())
            .advanceWatermarkTo(W0)
            .addElements(at(event("1", "2026-11-27T10:00:10Z", "u1", "/home", "view")))
            .advanceWatermarkTo(Instant.parse("2026-11-27T10:02:00Z"))
            .addElements(
                at(event("2", "2026-11-27T10:00:20Z", "u2", "/home", "view")),
                at(event("3", "2026-11-27T10:00:30Z", "u3", "/home", "view")))
            .advanceProcessingTime(Duration.standardSeconds(11))
            .advanceWatermarkToInfinity();

    PCollection<PageStats> stats =
        p.apply(stream)
            .apply(PageStatsPerWindow.create().withWindowing(
                Windowing.fixed(Duration.standardMinutes(1)).withLateFiringDelay(Duration.standardSeconds(10))));

    PAssert.that(stats)
        .containsInAnyOrder(
            stats("/home", 1, 1, 0, 0, 0, 0, 1, 0, "ON_TIME"),
            stats("/home", 3, 3, 0, 0, 0, 0, 3, 1, "LATE"));
    p.run().waitUntilFinish();
  }

  @Test
  void aPaneWithoutTimingInBatchIsTheOnTimePane() {
    assertThat(PageStatsPerWindow.timingOf(PaneInfo.NO_FIRING)).isEqualTo("ON_TIME");
    assertThat(PageStatsPerWindow.timingOf(PaneInfo.ON_TIME_AND_ONLY_FIRING)).isEqualTo("ON_TIME");
  }

  @Test
  void firesEarlyPanesOnProcessingTime(TestPipeline p) {
    TestStream<ClickEvent> stream =
        TestStream.create(Events.coder())
            .advanceWatermarkTo(W0)
            .addElements(at(event("1", "2026-11-27T10:00:10Z", "u1", "/home", "view")))
            .advanceProcessingTime(Duration.standardSeconds(31))
            .addElements(at(event("2", "2026-11-27T10:00:20Z", "u2", "/home", "view")))
            .advanceWatermarkToInfinity();

    PCollection<PageStats> stats =
        p.apply(stream)
            .apply(PageStatsPerWindow.create().withWindowing(Windowing.fixed(Duration.standardMinutes(1))
                .withLateFiringDelay(Duration.ZERO).withEarlyFiringsEvery(Duration.standardSeconds(30))));

    PAssert.that(stats)
        .containsInAnyOrder(
            stats("/home", 1, 1, 0, 0, 0, 0, 1, 0, "EARLY"),
            stats("/home", 2, 2, 0, 0, 0, 0, 2, 1, "ON_TIME"));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(Counters.attempted(result, Accounting.DROPPED_DUE_TO_LATENESS)).isZero();
  }

  @Test
  void fieldsItReadsKeepsWhatTheStatisticsReadAndNothingElse(TestPipeline p) {
    ClickEvent full = purchase("7", "2026-11-27T10:00:10Z", "u7", "/checkout", 12.5).toBuilder()
        .setSessionId("s-7").setCountry("DE").setUserAgent("Mozilla/5.0").setReferrer("https://example.com/")
        .build();
    PCollection<ClickEvent> kept = p.apply(org.apache.beam.sdk.transforms.Create.of(full).withCoder(Events.coder()))
        .apply(PageStatsPerWindow.fieldsItReads());

    PAssert.that(kept).containsInAnyOrder(purchase("7", "2026-11-27T10:00:10Z", "u7", "/checkout", 12.5));
    assertThat(kept.getCoder()).isEqualTo(Events.coder());
    p.run().waitUntilFinish();
  }
}
