package dev.millrace.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/**
 * One pane of one page's statistics in one event-time window: the {@code page_stats} dataset. With
 * accumulating panes the last pane of a (window, page) holds its final numbers.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class PageStats {

  @SchemaFieldNumber("0")
  @SchemaFieldName("window_start")
  public abstract Instant getWindowStart();

  @SchemaFieldNumber("1")
  @SchemaFieldName("window_end")
  public abstract Instant getWindowEnd();

  @SchemaFieldNumber("2")
  @SchemaFieldName("page")
  public abstract String getPage();

  @SchemaFieldNumber("3")
  @SchemaFieldName("events")
  public abstract long getEvents();

  @SchemaFieldNumber("4")
  @SchemaFieldName("views")
  public abstract long getViews();

  @SchemaFieldNumber("5")
  @SchemaFieldName("clicks")
  public abstract long getClicks();

  @SchemaFieldNumber("6")
  @SchemaFieldName("add_to_carts")
  public abstract long getAddToCarts();

  @SchemaFieldNumber("7")
  @SchemaFieldName("purchases")
  public abstract long getPurchases();

  /** Sum of the purchase amounts. */
  @SchemaFieldNumber("8")
  @SchemaFieldName("revenue")
  public abstract double getRevenue();

  /** Exact number of distinct {@code user_id}s. */
  @SchemaFieldNumber("9")
  @SchemaFieldName("unique_users")
  public abstract long getUniqueUsers();

  @SchemaFieldNumber("10")
  @SchemaFieldName("pane_index")
  public abstract long getPaneIndex();

  /** EARLY, ON_TIME or LATE. */
  @SchemaFieldNumber("11")
  @SchemaFieldName("pane_timing")
  public abstract String getPaneTiming();

  public static Builder builder() {
    return new AutoValue_PageStats.Builder();
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setWindowStart(Instant windowStart);

    public abstract Builder setWindowEnd(Instant windowEnd);

    public abstract Builder setPage(String page);

    public abstract Builder setEvents(long events);

    public abstract Builder setViews(long views);

    public abstract Builder setClicks(long clicks);

    public abstract Builder setAddToCarts(long addToCarts);

    public abstract Builder setPurchases(long purchases);

    public abstract Builder setRevenue(double revenue);

    public abstract Builder setUniqueUsers(long uniqueUsers);

    public abstract Builder setPaneIndex(long paneIndex);

    public abstract Builder setPaneTiming(String paneTiming);

    public abstract PageStats build();
  }
}
