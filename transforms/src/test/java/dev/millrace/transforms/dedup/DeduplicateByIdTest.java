package dev.millrace.transforms.dedup;

import static dev.millrace.transforms.testdata.Events.event;

import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.transforms.model.ClickEvent;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeamPipelineExtension.class)
class DeduplicateByIdTest {
  static final ClickEvent A = event("a", "2026-11-27T10:00:00Z", "u1", "/p", "view");
  static final ClickEvent B = event("b", "2026-11-27T10:00:01Z", "u1", "/p", "click");

  static PCollection<String> ids(PCollection<ClickEvent> events) {
    return events.apply(MapElements.into(TypeDescriptors.strings()).via(ClickEvent::getEventId));
  }

  @Test
  void keepsOneOfEachIdInBatch(TestPipeline p) {
    PCollection<ClickEvent> unique =
        p.apply(
                Create.timestamped(
                    TimestampedValue.of(A, A.getEventTime()),
                    TimestampedValue.of(B, B.getEventTime()),
                    TimestampedValue.of(A, A.getEventTime()),
                    TimestampedValue.of(A, A.getEventTime())))
            .apply(DeduplicateById.of(ClickEvent::getEventId));
    PAssert.that(ids(unique)).containsInAnyOrder("a", "b");
    p.run().waitUntilFinish();
  }

  @Test
  void theFirstArrivalWinsAndCopiesWithinTheHorizonAreDropped(TestPipeline p) {
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
            .apply(DeduplicateById.of(ClickEvent::getEventId).withHorizon(Duration.standardMinutes(5)));
    PAssert.that(unique.apply(MapElements.into(TypeDescriptors.strings()).via(ClickEvent::getPage)))
        .containsInAnyOrder("/p");
    p.run().waitUntilFinish();
  }

  @Test
  void anIdSeenAgainAfterTheHorizonCountsAsNew(TestPipeline p) {
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
            .apply(DeduplicateById.of(ClickEvent::getEventId).withHorizon(Duration.standardMinutes(5)));
    PAssert.that(unique.apply(MapElements.into(TypeDescriptors.strings()).via(ClickEvent::getPage)))
        .containsInAnyOrder("/p", "/again");
    p.run().waitUntilFinish();
  }
}
