package dev.millrace.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/** One pane of a site's traffic in one event-time window: the {@code traffic_stats} dataset. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class TrafficStats {
  @SchemaFieldNumber("0")
  @SchemaFieldName("window_start")
  public abstract Instant getWindowStart();

  @SchemaFieldNumber("1")
  @SchemaFieldName("window_end")
  public abstract Instant getWindowEnd();

  @SchemaFieldNumber("2")
  @SchemaFieldName("requests")
  public abstract long getRequests();

  /** Exact number of distinct client addresses. */
  @SchemaFieldNumber("3")
  @SchemaFieldName("unique_ips")
  public abstract long getUniqueIps();

  @SchemaFieldNumber("4")
  @SchemaFieldName("bytes")
  public abstract long getBytes();

  @SchemaFieldNumber("5")
  @SchemaFieldName("status_2xx")
  public abstract long getStatus2xx();

  @SchemaFieldNumber("6")
  @SchemaFieldName("status_3xx")
  public abstract long getStatus3xx();

  @SchemaFieldNumber("7")
  @SchemaFieldName("status_4xx")
  public abstract long getStatus4xx();

  @SchemaFieldNumber("8")
  @SchemaFieldName("status_5xx")
  public abstract long getStatus5xx();

  @SchemaFieldNumber("9")
  @SchemaFieldName("bot_requests")
  public abstract long getBotRequests();

  @SchemaFieldNumber("10")
  @SchemaFieldName("pane_index")
  public abstract long getPaneIndex();

  /** EARLY, ON_TIME or LATE. */
  @SchemaFieldNumber("11")
  @SchemaFieldName("pane_timing")
  public abstract String getPaneTiming();

  public static Builder builder() {
    return new AutoValue_TrafficStats.Builder();
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setWindowStart(Instant v);

    public abstract Builder setWindowEnd(Instant v);

    public abstract Builder setRequests(long v);

    public abstract Builder setUniqueIps(long v);

    public abstract Builder setBytes(long v);

    public abstract Builder setStatus2xx(long v);

    public abstract Builder setStatus3xx(long v);

    public abstract Builder setStatus4xx(long v);

    public abstract Builder setStatus5xx(long v);

    public abstract Builder setBotRequests(long v);

    public abstract Builder setPaneIndex(long v);

    public abstract Builder setPaneTiming(String v);

    public abstract TrafficStats build();
  }
}
