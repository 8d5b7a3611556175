package dev.millrace.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/** A valid clickstream event, as the record contract in README defines it. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class ClickEvent {

  @SchemaFieldNumber("0")
  @SchemaFieldName("event_id")
  public abstract String getEventId();

  @SchemaFieldNumber("1")
  @SchemaFieldName("event_time")
  public abstract Instant getEventTime();

  @SchemaFieldNumber("2")
  @SchemaFieldName("user_id")
  public abstract String getUserId();

  @SchemaFieldNumber("3")
  @SchemaFieldName("page")
  public abstract String getPage();

  /** One of {@link Action}'s wire names. */
  @SchemaFieldNumber("4")
  @SchemaFieldName("action")
  public abstract String getAction();

  /** The purchase amount; null for every action but {@code purchase}. */
  @SchemaFieldNumber("5")
  @SchemaFieldName("amount")
  public abstract @Nullable Double getAmount();

  @SchemaFieldNumber("6")
  @SchemaFieldName("session_id")
  public abstract @Nullable String getSessionId();

  @SchemaFieldNumber("7")
  @SchemaFieldName("country")
  public abstract @Nullable String getCountry();

  @SchemaFieldNumber("8")
  @SchemaFieldName("user_agent")
  public abstract @Nullable String getUserAgent();

  @SchemaFieldNumber("9")
  @SchemaFieldName("referrer")
  public abstract @Nullable String getReferrer();

  public static Builder builder() {
    return new AutoValue_ClickEvent.Builder();
  }

  public abstract Builder toBuilder();

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setEventId(String eventId);

    public abstract Builder setEventTime(Instant eventTime);

    public abstract Builder setUserId(String userId);

    public abstract Builder setPage(String page);

    public abstract Builder setAction(String action);

    public abstract Builder setAmount(@Nullable Double amount);

    public abstract Builder setSessionId(@Nullable String sessionId);

    public abstract Builder setCountry(@Nullable String country);

    public abstract Builder setUserAgent(@Nullable String userAgent);

    public abstract Builder setReferrer(@Nullable String referrer);

    public abstract ClickEvent build();
  }
}
