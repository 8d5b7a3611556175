package dev.millrace.transforms.dedup;

import static dev.millrace.transforms.testdata.Events.event;

import dev.millrace.model.ClickEvent;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.transforms.testdata.Events;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every case runs on both implementations: event-time timers (Direct, Flink, bounded Spark) and
 * watermark ticks (streaming Spark), which must give the same verdicts.
 */
@ExtendWith(BeamPipelineExtension.class)
class DeduplicateByIdTest {
  static final ClickEvent A = event("a", "2026-11-27T10:00:00Z", "u1", "/p", "view");
  static final ClickEvent B = event("b", "2026-11-27T10:00:01Z", "u1", "/p", "click");

  static PCollection<String> ids(PCollection<ClickEvent> events) {
    return events.apply(MapElements.into(TypeDescriptors.strings()).via(ClickEvent::getEventId));
  }

  static DeduplicateById<ClickEvent> dedup(boolean ticks, Duration horizon) {
    DeduplicateById<ClickEvent> dedup = DeduplicateById.of(ClickEvent::getEventId).withHorizon(horizon);
    return ticks ? dedup.withWatermarkTicks() : dedup;
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void keepsOneOfEachIdInBatch(boolean ticks, TestPipeline p) {
    PCollection<ClickEvent> unique =
        p.apply(
                Create.timestamped(
                    TimestampedValue.of(A, A.getEventTime()),
                    TimestampedValue.of(B, B.getEventTime()),
                    TimestampedValue.of(A, A.getEventTime()),
                    TimestampedValue.of(A, A.getEventTime())))
            .apply(dedup(ticks, DeduplicateById.DEFAULT_HORIZON));
    PAssert.that(ids(unique)).containsInAnyOrder("a", "b");
    p.run().waitUntilFinish();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void theFirstArrivalWinsAndCopiesWithinTheHorizonAreDropped(boolean ticks, TestPipeline p) {
    ClickEvent firstA = A;
    ClickEvent laterCopy = A.toBuilder().setPage("/copy").build();
    TestStream<ClickEvent> stream =
        TestStream.create(Events.coder())
            .advanceWatermarkTo(Instant.parse("2026-11-27T10:00:00Z"))
            .addElements(TimestampedValue.of(firstA, firstA.getEventTime()))
            .advanceWatermarkTo(Instant.parse("2026-11-27T10:04:00Z"))
            .addElements(TimestampedValue.of(laterCopy, laterCopy.getEventTime()))
            .advanceWatermarkToInfinity();
    PCollection<ClickEvent> unique =
        p.apply(stream)
            .apply(dedup(ticks, Duration.standardMinutes(5)));
    PAssert.that(unique.apply(MapElements.into(TypeDescriptors.strings()).via(ClickEvent::getPage)))
        .containsInAnyOrder("/p");
    p.run().waitUntilFinish();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void anIdSeenAgainAfterTheHorizonCountsAsNew(boolean ticks, TestPipeline p) {
    ClickEvent copy = A.toBuilder().setPage("/again").build();
    TestStream<ClickEvent> stream =
        TestStream.create(Events.coder())
            .advanceWatermarkTo(Instant.parse("2026-11-27T10:00:00Z"))
            .addElements(TimestampedValue.of(A, A.getEventTime()))
            // The watermark passes first occurrence + horizon: the id's state is cleared.
            .advanceWatermarkTo(Instant.parse("2026-11-27T10:06:00Z"))
            .addElements(TimestampedValue.of(copy, Instant.parse("2026-11-27T10:06:00Z")))
            .advanceWatermarkToInfinity();
    PCollection<ClickEvent> unique =
        p.apply(stream)
            .apply(dedup(ticks, Duration.standardMinutes(5)));
    PAssert.that(unique.apply(MapElements.into(TypeDescriptors.strings()).via(ClickEvent::getPage)))
        .containsInAnyOrder("/p", "/again");
    p.run().waitUntilFinish();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void aCopyPastTheHorizonInItsOwnEventTimeIsNewBeforeTheWatermarkGetsThere(boolean ticks, TestPipeline p) {
    // The id is still held (the watermark is at 10:00), but the copy's own time is past 10:05.
    ClickEvent copy = A.toBuilder().setPage("/later").build();
    ClickEvent atTheEdge = A.toBuilder().setPage("/edge").build();
    TestStream<ClickEvent> stream =
        TestStream.create(Events.coder())
            .advanceWatermarkTo(Instant.parse("2026-11-27T10:00:00Z"))
            .addElements(TimestampedValue.of(A, A.getEventTime()))
            .addElements(TimestampedValue.of(atTheEdge, Instant.parse("2026-11-27T10:05:00Z")))
            .addElements(TimestampedValue.of(copy, Instant.parse("2026-11-27T10:05:00.001Z")))
            .advanceWatermarkToInfinity();
    PCollection<ClickEvent> unique = p.apply(stream).apply(dedup(ticks, Duration.standardMinutes(5)));
    PAssert.that(unique.apply(MapElements.into(TypeDescriptors.strings()).via(ClickEvent::getPage)))
        .containsInAnyOrder("/p", "/later");
    p.run().waitUntilFinish();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void anIdIsForgottenOnceTheWatermarkPassesItsExpiry(boolean ticks, TestPipeline p) {
    // b at 10:06 (past a's expiry, 10:05) moves the watermark past 10:05; a copy of a stamped
    // 10:01 then arrives: a forgotten id, so it passes (its window, long closed, drops it later).
    ClickEvent lateCopy = A.toBuilder().setPage("/forgotten").build();
    TestStream<ClickEvent> stream =
        TestStream.create(Events.coder())
            .advanceWatermarkTo(Instant.parse("2026-11-27T10:00:00Z"))
            .addElements(TimestampedValue.of(A, A.getEventTime()))
            .addElements(TimestampedValue.of(B, Instant.parse("2026-11-27T10:06:00Z")))
            .advanceWatermarkTo(Instant.parse("2026-11-27T10:08:00Z"))
            .addElements(TimestampedValue.of(lateCopy, Instant.parse("2026-11-27T10:01:00Z")))
            .advanceWatermarkToInfinity();
    PCollection<ClickEvent> unique = p.apply(stream).apply(dedup(ticks, Duration.standardMinutes(5)));
    PAssert.that(unique.apply(MapElements.into(TypeDescriptors.strings()).via(ClickEvent::getPage)))
        .containsInAnyOrder("/p", "/p", "/forgotten");
    p.run().waitUntilFinish();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void aCleanupKeepsTheIdsThatHaveNotExpired(boolean ticks, TestPipeline p) {
    // One shard holds a (expires 10:05:00) and b (10:05:01); cleanups run every 30 s of event time.
    // The watermark passes 10:05:00, so the cleanup then forgets a; a copy of b stamped 10:05:00
    // is still within b's horizon and must be dropped.
    ClickEvent copyOfB = B.toBuilder().setPage("/copy").build();
    ClickEvent copyOfA = A.toBuilder().setPage("/new-a").build();
    TestStream<ClickEvent> stream =
        TestStream.create(Events.coder())
            .advanceWatermarkTo(Instant.parse("2026-11-27T10:00:00Z"))
            .addElements(TimestampedValue.of(A, A.getEventTime()), TimestampedValue.of(B, B.getEventTime()))
            .advanceWatermarkTo(Instant.parse("2026-11-27T10:05:20Z"))
            .addElements(
                TimestampedValue.of(copyOfB, Instant.parse("2026-11-27T10:05:00Z")),
                TimestampedValue.of(copyOfA, Instant.parse("2026-11-27T10:05:20Z")))
            .advanceWatermarkToInfinity();
    PCollection<ClickEvent> unique =
        p.apply(stream).apply(dedup(ticks, Duration.standardMinutes(5)).withShards(1));
    PAssert.that(unique.apply(MapElements.into(TypeDescriptors.strings()).via(ClickEvent::getPage)))
        .containsInAnyOrder("/p", "/p", "/new-a");
    p.run().waitUntilFinish();
  }
}
