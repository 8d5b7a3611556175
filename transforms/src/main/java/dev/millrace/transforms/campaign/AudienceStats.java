package dev.millrace.transforms.campaign;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/** One pane of one campaign and audience segment in one event-time window: the {@code audience_stats} dataset. The segment is the customers table's, {@code unknown} for a user not in it. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class AudienceStats {
  @SchemaFieldNumber("0")
  @SchemaFieldName("campaign_id")
  public abstract String getCampaignId();

  @SchemaFieldNumber("1")
  @SchemaFieldName("segment")
  public abstract String getSegment();

  @SchemaFieldNumber("2")
  @SchemaFieldName("window_start")
  public abstract Instant getWindowStart();

  @SchemaFieldNumber("3")
  @SchemaFieldName("window_end")
  public abstract Instant getWindowEnd();

  @SchemaFieldNumber("4")
  @SchemaFieldName("impressions")
  public abstract long getImpressions();

  /** Sum of cost_micros / 1e6, summed exactly. */
  @SchemaFieldNumber("5")
  @SchemaFieldName("spend")
  public abstract double getSpend();

  /** Attributed clicks. */
  @SchemaFieldNumber("6")
  @SchemaFieldName("clicks")
  public abstract long getClicks();

  /** Attributed conversions. */
  @SchemaFieldNumber("7")
  @SchemaFieldName("conversions")
  public abstract long getConversions();

  /** Sum of the attributed conversions' order_value, summed exactly. */
  @SchemaFieldNumber("8")
  @SchemaFieldName("revenue")
  public abstract double getRevenue();

  /** clicks / impressions; null without impressions. */
  @SchemaFieldNumber("9")
  @SchemaFieldName("ctr")
  public abstract @Nullable Double getCtr();

  /** conversions / clicks; null without clicks. */
  @SchemaFieldNumber("10")
  @SchemaFieldName("cvr")
  public abstract @Nullable Double getCvr();

  /** revenue / spend; null without spend. */
  @SchemaFieldNumber("11")
  @SchemaFieldName("roas")
  public abstract @Nullable Double getRoas();

  /** From the campaigns table; null for a campaign not in it. */
  @SchemaFieldNumber("12")
  @SchemaFieldName("advertiser")
  public abstract @Nullable String getAdvertiser();

  @SchemaFieldNumber("13")
  @SchemaFieldName("pane_index")
  public abstract long getPaneIndex();

  /** EARLY, ON_TIME or LATE. */
  @SchemaFieldNumber("14")
  @SchemaFieldName("pane_timing")
  public abstract String getPaneTiming();

  public static Builder builder() {
    return new AutoValue_AudienceStats.Builder();
  }

  /** The shared columns are {@link StatsRowBuilder}'s. */
  @AutoValue.Builder
  public abstract static class Builder implements StatsRowBuilder<Builder, AudienceStats> {
    public abstract Builder setSegment(String v);
  }
}
