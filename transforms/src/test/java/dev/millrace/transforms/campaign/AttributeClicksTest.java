package dev.millrace.transforms.campaign;

import static dev.millrace.transforms.campaign.AdEventsTestData.T0;
import static dev.millrace.transforms.campaign.AdEventsTestData.event;

import dev.millrace.testing.BeamPipelineExtension;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The click join's rules, each boundary on both sides, in streaming (any arrival order) and bounded;
 * each case on event-time timers and on watermark ticks (Spark streaming's way).
 */
@ExtendWith(BeamPipelineExtension.class)
class AttributeClicksTest {

  /** The click join alone, or (ticks) inside the watermark-tick step that Spark streaming runs. */
  static PCollectionTuple join(PCollection<String> lines, boolean ticks) {
    if (!ticks) {
      return AdEventsTestData.clicks(lines).apply(AttributeClicks.to(AdEventsTestData.impressions(lines))
          .withClickWindow(Duration.standardMinutes(30)).withAllowedLateness(Duration.standardMinutes(5)));
    }
    return AdEventsTestData.conversions(lines).apply(
        AttributeClicksAndConversions.of(AdEventsTestData.impressions(lines), AdEventsTestData.clicks(lines))
            .withClickWindow(Duration.standardMinutes(30)).withAllowedLateness(Duration.standardMinutes(5))
            .withWatermarkTicks());
  }

  static PCollection<String> attributed(PCollectionTuple joined) {
    return joined.get(AttributeClicks.ATTRIBUTED).apply("AttributedText", MapElements.into(TypeDescriptors.strings())
        .via(a -> a.click().clickId() + "->" + a.click().impressionId() + "/" + a.campaignId()));
  }

  static PCollection<String> orphans(PCollectionTuple joined) {
    return joined.get(AttributeClicks.ORPHANS).apply("OrphanText", MapElements.into(TypeDescriptors.strings())
        .via(o -> o.getClickId() + ":" + o.getReason() + "/" + o.getCampaignId()));
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void aClickArrivingBeforeItsImpressionIsAttributed(boolean ticks, TestPipeline p) {
    TestStream<String> stream = TestStream.create(AdEventsTestData.coder())
        .advanceWatermarkTo(T0)
        .addElements(event("C c1 5 i1 u1"))
        .addElements(event("I i1 0 camp1 u1 1000"))
        .advanceWatermarkToInfinity();
    PCollectionTuple joined = join(p.apply(stream), ticks);
    PAssert.that(attributed(joined)).containsInAnyOrder("c1->i1/camp1");
    PAssert.that(orphans(joined)).empty();
    p.run();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void aClickOneMillisecondPastTheWindowIsTooLateAndOneAtItsEndIsNot(boolean ticks, TestPipeline p) {
    TestStream<String> stream = TestStream.create(AdEventsTestData.coder())
        .advanceWatermarkTo(T0)
        .addElements(event("I i1 0 camp1 u1 1000"), event("I i2 0 camp1 u1 1000"), event("I i3 10 camp1 u1 1000"),
            event("I i4 10 camp1 u1 1000"))
        .addElements(event("C late 30m+1 i1 u1"), event("C edge 30 i2 u1"), event("C before 9m59999 i3 u1"),
            event("C same 10 i4 u1"))
        .advanceWatermarkToInfinity();
    PCollectionTuple joined = join(p.apply(stream), ticks);
    PAssert.that(attributed(joined)).containsInAnyOrder("edge->i2/camp1", "same->i4/camp1");
    PAssert.that(orphans(joined)).containsInAnyOrder("late:too_late/camp1", "before:too_late/camp1");
    p.run();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void aRepeatClickIsAnOrphanAndTheEarliestWinsWhateverTheArrivalOrder(boolean ticks, TestPipeline p) {
    TestStream<String> stream = TestStream.create(AdEventsTestData.coder())
        .advanceWatermarkTo(T0)
        .addElements(event("I i1 0 camp1 u1 1000"), event("I i2 0 camp2 u2 1000"))
        // i1: the later click arrives first; i2: a tie in time goes to the smaller click_id.
        .addElements(event("C second 12 i1 u1"), event("C tie-b 3 i2 u2"))
        .advanceWatermarkTo(T0.plus(Duration.standardMinutes(1)))
        .addElements(event("C first 7 i1 u1"), event("C tie-a 3 i2 u2"))
        .advanceWatermarkTo(T0.plus(Duration.standardMinutes(20)))
        .addElements(event("C third 25 i1 u1"))
        .advanceWatermarkToInfinity();
    PCollectionTuple joined = join(p.apply(stream), ticks);
    PAssert.that(attributed(joined)).containsInAnyOrder("first->i1/camp1", "tie-a->i2/camp2");
    PAssert.that(orphans(joined)).containsInAnyOrder(
        "second:repeat_click/camp1", "third:repeat_click/camp1", "tie-b:repeat_click/camp2");
    p.run();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void reasonsComeInOrderNoImpressionUserMismatchTooLate(boolean ticks, TestPipeline p) {
    TestStream<String> stream = TestStream.create(AdEventsTestData.coder())
        .advanceWatermarkTo(T0)
        .addElements(event("C ghost 5 nope u1"), event("C other 50 i1 u9"), event("C slow 50 i1 u1"))
        .addElements(event("I i1 0 camp1 u1 1000"))
        .advanceWatermarkToInfinity();
    PCollectionTuple joined = join(p.apply(stream), ticks);
    PAssert.that(attributed(joined)).empty();
    PAssert.that(orphans(joined)).containsInAnyOrder(
        "ghost:no_impression/null", "other:user_mismatch/camp1", "slow:too_late/camp1");
    p.run();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void anImpressionBehindItsClickByTheWholeWindowIsStillFoundInABoundedRun(boolean ticks, TestPipeline p) {
    // The click waits its time + window for an impression; a bounded run has every record by then.
    List<TimestampedValue<String>> events = List.of(
        event("C c1 0 i1 u1"), event("I i1 45 camp1 u1 5"), event("C c2 50 i1 u1"), event("C c3 46 i1 u1"),
        event("C c4 46 i1 u2"));
    PCollectionTuple joined = join(p.apply(Create.timestamped(events).withCoder(AdEventsTestData.coder())), ticks);
    PAssert.that(attributed(joined)).containsInAnyOrder("c3->i1/camp1");
    PAssert.that(orphans(joined)).containsInAnyOrder(
        "c1:too_late/camp1", "c2:repeat_click/camp1", "c4:user_mismatch/camp1");
    p.run();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void everyRuleHoldsInABoundedRun(boolean ticks, TestPipeline p) {
    List<TimestampedValue<String>> events = List.of(
        event("I i1 0 camp1 u1 1"), event("I i2 0 camp1 u1 1"), event("I i3 10 camp1 u1 1"), event("I i4 10 camp1 u1 1"),
        event("C late 30m+1 i1 u1"), event("C edge 30 i2 u1"), event("C before 9m59999 i3 u1"), event("C same 10 i4 u1"),
        event("I i5 0 camp2 u2 1"), event("C tie-b 3 i5 u2"), event("C tie-a 3 i5 u2"),
        event("I i6 0 camp3 u3 1"), event("C second 12 i6 u3"), event("C first 7 i6 u3"), event("C third 25 i6 u3"),
        event("C ghost 5 nope u1"), event("I i7 0 camp4 u1 1"), event("C other 50 i7 u9"), event("C slow 50 i7 u1"));
    PCollectionTuple joined = join(p.apply(Create.timestamped(events).withCoder(AdEventsTestData.coder())), ticks);
    PAssert.that(attributed(joined)).containsInAnyOrder(
        "edge->i2/camp1", "same->i4/camp1", "tie-a->i5/camp2", "first->i6/camp3");
    PAssert.that(orphans(joined)).containsInAnyOrder("late:too_late/camp1", "before:too_late/camp1",
        "tie-b:repeat_click/camp2", "second:repeat_click/camp3", "third:repeat_click/camp3",
        "ghost:no_impression/null", "other:user_mismatch/camp4", "slow:too_late/camp4");
    p.run();
  }

  @Test
  void aDuplicateImpressionInABoundedRunLosesToTheEarliestWhateverTheOrder(TestPipeline p) {
    // The same impression_id twice (a copy past de-duplication): the earliest is the impression. With
    // the later one, c1 would be before its impression (too_late) and c2 within its window.
    List<TimestampedValue<String>> events = List.of(
        event("I i1 10 later u1 1"), event("C c1 5 i1 u1"), event("I i1 0 earliest u1 1"), event("C c2 35 i1 u1"));
    PCollectionTuple joined = join(p.apply(Create.timestamped(events).withCoder(AdEventsTestData.coder())), false);
    PAssert.that(attributed(joined)).containsInAnyOrder("c1->i1/earliest");
    PAssert.that(orphans(joined)).containsInAnyOrder("c2:too_late/earliest");
    p.run();
  }
}
