package dev.millrace.transforms.campaign;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/** A click that is not attributed, with the first reason that applies: the {@code orphans} dataset. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class OrphanClick {
  /** No impression with the click's impression_id. */
  public static final String NO_IMPRESSION = "no_impression";
  /** The impression's user is not the click's. */
  public static final String USER_MISMATCH = "user_mismatch";
  /** The click is before its impression or more than the click window after it. */
  public static final String TOO_LATE = "too_late";
  /** The click qualifies, but an earlier qualifying click of the same impression was attributed. */
  public static final String REPEAT_CLICK = "repeat_click";

  @SchemaFieldNumber("0")
  @SchemaFieldName("click_id")
  public abstract String getClickId();

  @SchemaFieldNumber("1")
  @SchemaFieldName("event_time")
  public abstract Instant getEventTime();

  @SchemaFieldNumber("2")
  @SchemaFieldName("impression_id")
  public abstract String getImpressionId();

  @SchemaFieldNumber("3")
  @SchemaFieldName("user_id")
  public abstract String getUserId();

  /** no_impression, user_mismatch, too_late or repeat_click. */
  @SchemaFieldNumber("4")
  @SchemaFieldName("reason")
  public abstract String getReason();

  /** The impression's campaign; null when there is no impression. */
  @SchemaFieldNumber("5")
  @SchemaFieldName("campaign_id")
  public abstract @Nullable String getCampaignId();

  public static OrphanClick of(AdClick click, String reason, @Nullable Impression impression) {
    return new AutoValue_OrphanClick(click.clickId(), click.eventTime(), click.impressionId(), click.userId(),
        reason, impression == null ? null : impression.campaignId());
  }
}
