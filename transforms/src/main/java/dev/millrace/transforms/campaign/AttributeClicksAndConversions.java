package dev.millrace.transforms.campaign;

import static dev.millrace.transforms.campaign.AttributionJoins.zeroOrPositive;
import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.transforms.aggregate.GroupInShards;
import dev.millrace.transforms.runners.RunnerCapabilities;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;

/**
 * Both attribution joins: clicks to their impressions ({@link AttributeClicks}: {@link
 * AttributeClicks#ATTRIBUTED attributed clicks} and {@link AttributeClicks#ORPHANS orphans}), then
 * conversions to their last click ({@link AttributeConversions}: {@link #ATTRIBUTIONS}). On a runner
 * with event-time timers it is those two steps; on one without (Beam's Spark runner in streaming), or
 * {@link #withWatermarkTicks() when asked}, one step that does both on watermark ticks, with the same
 * rules and the same rows.
 *
 * <pre>{@code
 * PCollectionTuple joined = conversions.apply("Attribute",
 *     AttributeClicksAndConversions.of(impressions, clicks)
 *         .withClickWindow(Duration.standardMinutes(30)).withAttributionWindow(Duration.standardHours(24)));
 * joined.get(AttributeClicks.ATTRIBUTED); joined.get(AttributeClicks.ORPHANS);
 * joined.get(AttributeClicksAndConversions.ATTRIBUTIONS);
 * }</pre>
 */
public final class AttributeClicksAndConversions extends PTransform<PCollection<Conversion>, PCollectionTuple> {
  public static final TupleTag<Attribution> ATTRIBUTIONS = new TupleTag<>() {};

  private final PCollection<Impression> impressions;
  private final PCollection<AdClick> clicks;
  private final Duration clickWindow;
  private final Duration attributionWindow;
  private final Duration allowedLateness;
  private final boolean watermarkTicks;
  private final boolean groupsStampedAtWindowEnd;

  private AttributeClicksAndConversions(PCollection<Impression> impressions, PCollection<AdClick> clicks,
      Duration clickWindow, Duration attributionWindow, Duration allowedLateness, boolean watermarkTicks,
      boolean groupsStampedAtWindowEnd) {
    this.impressions = impressions;
    this.clicks = clicks;
    this.clickWindow = clickWindow;
    this.attributionWindow = attributionWindow;
    this.allowedLateness = allowedLateness;
    this.watermarkTicks = watermarkTicks;
    this.groupsStampedAtWindowEnd = groupsStampedAtWindowEnd;
  }

  /** Conversions attributed through these clicks and impressions, with the two joins' default windows. */
  public static AttributeClicksAndConversions of(PCollection<Impression> impressions, PCollection<AdClick> clicks) {
    checkArgument(impressions != null && clicks != null, "impressions and clicks must not be null");
    return new AttributeClicksAndConversions(impressions, clicks, AttributeClicks.DEFAULT_CLICK_WINDOW,
        AttributeConversions.DEFAULT_ATTRIBUTION_WINDOW, Duration.ZERO, false, false);
  }

  /** How long after its impression a click may be (inclusive). */
  public AttributeClicksAndConversions withClickWindow(Duration clickWindow) {
    return new AttributeClicksAndConversions(impressions, clicks, zeroOrPositive("clickWindow", clickWindow),
        attributionWindow, allowedLateness, watermarkTicks, groupsStampedAtWindowEnd);
  }

  /** How long after its click a conversion may be (inclusive). */
  public AttributeClicksAndConversions withAttributionWindow(Duration attributionWindow) {
    return new AttributeClicksAndConversions(impressions, clicks, clickWindow,
        zeroOrPositive("attributionWindow", attributionWindow), allowedLateness, watermarkTicks,
        groupsStampedAtWindowEnd);
  }

  /** How long past their windows impressions and clicks are kept for records that arrive late. */
  public AttributeClicksAndConversions withAllowedLateness(Duration allowedLateness) {
    return new AttributeClicksAndConversions(impressions, clicks, clickWindow, attributionWindow,
        zeroOrPositive("allowedLateness", allowedLateness), watermarkTicks, groupsStampedAtWindowEnd);
  }

  /** The watermark-tick step whatever the runner (what Spark streaming runs; tests compare the two). */
  public AttributeClicksAndConversions withWatermarkTicks() {
    return new AttributeClicksAndConversions(
        impressions, clicks, clickWindow, attributionWindow, allowedLateness, true, groupsStampedAtWindowEnd);
  }

  /**
   * Bounded input in a batch job where nothing judges lateness: both joins' groups stamped at the
   * end of their window, which Flink's batch mode sorts once instead of grouping twice ({@link
   * GroupInShards#withGroupsStampedAtWindowEnd}); the rows are the same.
   */
  public AttributeClicksAndConversions withGroupsStampedAtWindowEnd(boolean stampedAtWindowEnd) {
    return new AttributeClicksAndConversions(
        impressions, clicks, clickWindow, attributionWindow, allowedLateness, watermarkTicks, stampedAtWindowEnd);
  }

  @Override
  public PCollectionTuple expand(PCollection<Conversion> conversions) {
    boolean timers = RunnerCapabilities.eventTimeTimers(impressions) && RunnerCapabilities.eventTimeTimers(clicks)
        && RunnerCapabilities.eventTimeTimers(conversions);
    if (watermarkTicks || !timers) {
      return conversions.apply("AttributeOnWatermarkTicks",
          new AttributeOnWatermarkTicks(impressions, clicks, clickWindow, attributionWindow, allowedLateness));
    }
    PCollectionTuple clickJoin = clicks.apply("AttributeClicks",
        AttributeClicks.to(impressions).withClickWindow(clickWindow).withAllowedLateness(allowedLateness)
            .withGroupsStampedAtWindowEnd(groupsStampedAtWindowEnd));
    PCollection<Attribution> attributions = conversions.apply("AttributeConversions",
        AttributeConversions.to(clickJoin.get(AttributeClicks.ATTRIBUTED))
            .withAttributionWindow(attributionWindow).withAllowedLateness(allowedLateness)
            .withGroupsStampedAtWindowEnd(groupsStampedAtWindowEnd));
    return clickJoin.and(ATTRIBUTIONS, attributions);
  }
}
