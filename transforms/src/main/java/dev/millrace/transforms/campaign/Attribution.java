package dev.millrace.transforms.campaign;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One conversion and the click it is attributed to (last click): the {@code attributions} dataset,
 * one row per conversion; click, impression and campaign are null when it is unattributed.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Attribution {
  @SchemaFieldNumber("0")
  @SchemaFieldName("conversion_id")
  public abstract String getConversionId();

  @SchemaFieldNumber("1")
  @SchemaFieldName("user_id")
  public abstract String getUserId();

  @SchemaFieldNumber("2")
  @SchemaFieldName("event_time")
  public abstract Instant getEventTime();

  /** The record's order value (its exact decimal, as the nearest double). */
  @SchemaFieldNumber("3")
  @SchemaFieldName("order_value")
  public abstract double getOrderValue();

  @SchemaFieldNumber("4")
  @SchemaFieldName("click_id")
  public abstract @Nullable String getClickId();

  @SchemaFieldNumber("5")
  @SchemaFieldName("impression_id")
  public abstract @Nullable String getImpressionId();

  @SchemaFieldNumber("6")
  @SchemaFieldName("campaign_id")
  public abstract @Nullable String getCampaignId();

  public static Attribution of(Conversion conversion, @Nullable AttributedClick click) {
    return new AutoValue_Attribution(conversion.conversionId(), conversion.userId(), conversion.eventTime(),
        conversion.orderValue().doubleValue(),
        click == null ? null : click.click().clickId(),
        click == null ? null : click.click().impressionId(),
        click == null ? null : click.campaignId());
  }

  public boolean attributed() {
    return getCampaignId() != null;
  }
}
