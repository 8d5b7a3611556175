package dev.millrace.transforms.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.reference.Campaign;
import dev.millrace.model.reference.CampaignTable;
import dev.millrace.model.reference.Customer;
import dev.millrace.model.reference.CustomerTable;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.transforms.window.Windowing;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Campaign and audience rows per hourly window, worked out by hand, on a bounded input (where a
 * campaign's totals are summed from its segments' totals) and on a stream (where each campaign sums
 * its own activity): the same rows both ways.
 */
@ExtendWith(BeamPipelineExtension.class)
class CampaignStatsPerWindowTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  static final long MINUTE = 60_000;

  static TimestampedValue<CampaignActivity> at(long millisAfterT0, CampaignActivity activity) {
    return TimestampedValue.of(activity, T0.plus(Duration.millis(millisAfterT0)));
  }

  static CampaignActivity impression(String campaign, String user, long costMicros) {
    return new CampaignActivity(campaign, user, 1, costMicros, 0, 0, BigDecimal.ZERO);
  }

  static CampaignActivity click(String campaign, String user) {
    return new CampaignActivity(campaign, user, 0, 0, 1, 0, BigDecimal.ZERO);
  }

  static CampaignActivity conversion(String campaign, String user, String value) {
    return new CampaignActivity(campaign, user, 0, 0, 0, 1, new BigDecimal(value));
  }

  /** a and b are customers (segments s1, s2); z is not (unknown); camp2 is not in the campaigns table. */
  static final List<TimestampedValue<CampaignActivity>> ACTIVITY = List.of(
      at(5 * MINUTE, impression("camp1", "a", 1_000_000)),
      at(10 * MINUTE, impression("camp1", "b", 500_000)),
      at(20 * MINUTE, click("camp1", "z")),
      at(60 * MINUTE - 1, conversion("camp1", "a", "2.5")), // the window's last millisecond
      at(30 * MINUTE, conversion("camp1", "b", "0.1")),
      at(60 * MINUTE, impression("camp1", "b", 250_000)), // the next window's first
      at(30 * MINUTE, impression("camp2", "a", 100)));

  @ParameterizedTest(name = "bounded: {0}")
  @ValueSource(booleans = {true, false})
  void campaignRowsAreTheSumsOfTheirActivityAndAudienceRowsOfEachSegment(boolean bounded, TestPipeline p) {
    PCollection<CampaignActivity> activity;
    if (bounded) {
      activity = p.apply(Create.timestamped(ACTIVITY).withCoder(CampaignStatsPerWindow.ActivityCoder.of()));
    } else {
      TestStream.Builder<CampaignActivity> stream =
          TestStream.create(CampaignStatsPerWindow.ActivityCoder.of()).advanceWatermarkTo(T0);
      for (TimestampedValue<CampaignActivity> a : ACTIVITY) {
        stream = stream.addElements(a);
      }
      activity = p.apply(stream.advanceWatermarkToInfinity());
    }
    PCollectionView<Iterable<CampaignTable>> campaigns =
        p.apply("Campaigns", Create.of(CampaignTable.of(List.of(new Campaign("camp1", "adv1", "search")), "test", T0))
                .withCoder(CampaignTable.coder()))
            .apply("CampaignsView", View.asIterable());
    PCollectionView<Iterable<CustomerTable>> customers =
        p.apply("Customers", Create.of(CustomerTable.of(
                    List.of(new Customer("a", "18-24", "north", "s1"), new Customer("b", "25-34", "south", "s2")), "test", T0))
                .withCoder(CustomerTable.coder()))
            .apply("CustomersView", View.asIterable());

    PCollectionTuple stats = activity.apply(
        CampaignStatsPerWindow.of(Windowing.fixed(Duration.standardHours(1)), campaigns, customers));

    PAssert.that(stats.get(CampaignStatsPerWindow.CAMPAIGN_STATS)
            .apply("CampaignText", MapElements.into(TypeDescriptors.strings()).via(r -> r.getCampaignId() + " "
                + r.getWindowStart().getMillis() / 60_000 % 1440 + " i" + r.getImpressions() + " $" + r.getSpend()
                + " c" + r.getClicks() + " v" + r.getConversions() + " r" + r.getRevenue() + " " + r.getAdvertiser()
                + " " + r.getPaneTiming() + r.getPaneIndex())))
        .containsInAnyOrder(
            "camp1 600 i2 $1.5 c1 v2 r2.6 adv1 ON_TIME0",
            "camp1 660 i1 $0.25 c0 v0 r0.0 adv1 ON_TIME0",
            "camp2 600 i1 $1.0E-4 c0 v0 r0.0 null ON_TIME0");
    PAssert.that(stats.get(CampaignStatsPerWindow.AUDIENCE_STATS)
            .apply("AudienceText", MapElements.into(TypeDescriptors.strings()).via(r -> r.getCampaignId() + "/"
                + r.getSegment() + " " + r.getWindowStart().getMillis() / 60_000 % 1440 + " i" + r.getImpressions()
                + " $" + r.getSpend() + " c" + r.getClicks() + " v" + r.getConversions() + " r" + r.getRevenue())))
        .containsInAnyOrder(
            "camp1/s1 600 i1 $1.0 c0 v1 r2.5",
            "camp1/s2 600 i1 $0.5 c0 v1 r0.1",
            "camp1/unknown 600 i0 $0.0 c1 v0 r0.0",
            "camp1/s2 660 i1 $0.25 c0 v0 r0.0",
            "camp2/s1 600 i1 $1.0E-4 c0 v0 r0.0");
    assertThat(stepNames(p)).as("a bounded input's campaign totals come from its segments' totals")
        .anyMatch(name -> name.contains(bounded ? "/SumSegmentsPerCampaign" : "/SumPerCampaign"));
    p.run();
  }

  static List<String> stepNames(Pipeline p) {
    List<String> names = new ArrayList<>();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        names.add(node.getFullName());
        return CompositeBehavior.ENTER_TRANSFORM;
      }
    });
    return names;
  }
}
