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
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Last-click attribution through both joins: impressions -> clicks -> conversions, in any arrival
 * order; each case on event-time timers and on watermark ticks (Spark streaming's way).
 */
@ExtendWith(BeamPipelineExtension.class)
class AttributeConversionsTest {

  static PCollection<String> attributions(PCollection<String> lines, boolean ticks) {
    AttributeClicksAndConversions attribute =
        AttributeClicksAndConversions.of(AdEventsTestData.impressions(lines), AdEventsTestData.clicks(lines))
            .withAttributionWindow(Duration.standardHours(24)).withAllowedLateness(Duration.standardMinutes(5));
    return AdEventsTestData.conversions(lines)
        .apply(ticks ? attribute.withWatermarkTicks() : attribute)
        .get(AttributeClicksAndConversions.ATTRIBUTIONS)
        .apply(MapElements.into(TypeDescriptors.strings())
            .via(a -> a.getConversionId() + "->" + a.getClickId() + "/" + a.getCampaignId() + "/" + a.getOrderValue()));
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void aConversionArrivingBeforeItsClickAndImpressionIsAttributed(boolean ticks, TestPipeline p) {
    TestStream<String> stream = TestStream.create(AdEventsTestData.coder())
        .advanceWatermarkTo(T0)
        .addElements(event("V v1 20 u1 19.90"))
        .addElements(event("C c1 10 i1 u1"))
        .addElements(event("I i1 5 camp1 u1 250"))
        .advanceWatermarkToInfinity();
    PAssert.that(attributions(p.apply(stream), ticks)).containsInAnyOrder("v1->c1/camp1/19.9");
    p.run();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void theLastClickStrictlyBeforeWithinTheWindowWins(boolean ticks, TestPipeline p) {
    // u1: clicks at 0 (camp1) and 30 (camp2), conversions at 30 (the click at 30 is not before it),
    // at 24h (both in reach: the later wins) and at 24h30m+1ms (the click at 30 is 1 ms out of reach).
    // u2: two clicks at the same time: the larger click_id wins. u3: no click at all.
    TestStream<String> stream = TestStream.create(AdEventsTestData.coder())
        .advanceWatermarkTo(T0)
        .addElements(event("V same 30 u1 1"), event("V day 1440 u1 2"), event("V after 1470m+1 u1 3"))
        .addElements(event("I i1 0 camp1 u1 1"), event("I i2 29 camp2 u1 1"), event("C c1 0 i1 u1"),
            event("C c2 30 i2 u1"))
        .addElements(event("I i3 0 camp3 u2 1"), event("I i4 0 camp4 u2 1"), event("C a 5 i3 u2"),
            event("C b 5 i4 u2"), event("V v2 6 u2 4"), event("V v3 7 u3 5"))
        .advanceWatermarkToInfinity();
    PAssert.that(attributions(p.apply(stream), ticks)).containsInAnyOrder(
        "same->c1/camp1/1.0", "day->c2/camp2/2.0", "after->null/null/3.0", "v2->b/camp4/4.0",
        "v3->null/null/5.0");
    p.run();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void exactlyTheWindowAwayIsInReach(boolean ticks, TestPipeline p) {
    List<TimestampedValue<String>> events = List.of(
        event("I i1 0 camp1 u1 1"), event("C c1 0 i1 u1"), event("V edge 1440 u1 7"), event("V out 1440m+1 u1 8"));
    PAssert.that(attributions(p.apply(Create.timestamped(events).withCoder(AdEventsTestData.coder())), ticks))
        .containsInAnyOrder("edge->c1/camp1/7.0", "out->null/null/8.0");
    p.run();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void aUsersOldClicksArePrunedButTheLatestAndItsTiesStayInReach(boolean ticks, TestPipeline p) {
    // Clicks at 0, 10 and twice at 20 (ids a, b); the watermark then passes them by hours, pruning all
    // but the two at 20; conversions at 3h and at 20h20m (exactly 24h after them is 24h20m: in reach).
    TestStream<String> stream = TestStream.create(AdEventsTestData.coder())
        .advanceWatermarkTo(T0)
        .addElements(event("I i0 0 camp0 u1 1"), event("I i1 10 camp1 u1 1"), event("I i2 20 camp2 u1 1"),
            event("I i3 20 camp3 u1 1"))
        .addElements(event("C c0 0 i0 u1"), event("C c1 10 i1 u1"), event("C a 20 i2 u1"), event("C b 20 i3 u1"))
        .advanceWatermarkTo(T0.plus(Duration.standardHours(2)))
        .addElements(event("V v1 180 u1 1"), event("V v2 1460 u1 2"), event("V v3 1460m+1 u1 3"))
        .advanceWatermarkTo(T0.plus(Duration.standardHours(30)))
        .addElements(event("V v4 1900 u1 4"))
        .advanceWatermarkToInfinity();
    PAssert.that(attributions(p.apply(stream), ticks)).containsInAnyOrder(
        "v1->b/camp3/1.0", "v2->b/camp3/2.0", "v3->null/null/3.0", "v4->null/null/4.0");
    p.run();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void theLastClickRulesHoldInABoundedRun(boolean ticks, TestPipeline p) {
    List<TimestampedValue<String>> events = List.of(
        event("V same 30 u1 1"), event("V day 1440 u1 2"), event("V after 1470m+1 u1 3"),
        event("I i1 0 camp1 u1 1"), event("I i2 29 camp2 u1 1"), event("C c1 0 i1 u1"), event("C c2 30 i2 u1"),
        event("I i3 0 camp3 u2 1"), event("I i4 0 camp4 u2 1"), event("C a 5 i3 u2"), event("C b 5 i4 u2"),
        event("V v2 6 u2 4"), event("V v3 7 u3 5"), event("V v1 20 u4 6"), event("C c4 10 i5 u4"),
        event("I i5 5 camp5 u4 250"));
    PAssert.that(attributions(p.apply(Create.timestamped(events).withCoder(AdEventsTestData.coder())), ticks))
        .containsInAnyOrder("same->c1/camp1/1.0", "day->c2/camp2/2.0", "after->null/null/3.0", "v2->b/camp4/4.0",
            "v3->null/null/5.0", "v1->c4/camp5/6.0");
    p.run();
  }
}
