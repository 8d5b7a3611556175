package dev.millrace.transforms.fraud;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.joda.time.Instant;

/** One pane of the fraud statistics of one event-time window: the {@code fraud_stats} dataset. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class FraudStats {
  @SchemaFieldName("window_start")
  public abstract Instant getWindowStart();

  @SchemaFieldName("window_end")
  public abstract Instant getWindowEnd();

  @SchemaFieldName("transactions")
  public abstract long getTransactions();

  @SchemaFieldName("flagged")
  public abstract long getFlagged();

  /** Sum of the flagged transactions' amounts (summed exactly, in millionths). */
  @SchemaFieldName("flagged_amount")
  public abstract double getFlaggedAmount();

  @SchemaFieldName("unknown_account")
  public abstract long getUnknownAccount();

  @SchemaFieldName("amount_spike")
  public abstract long getAmountSpike();

  @SchemaFieldName("foreign_country")
  public abstract long getForeignCountry();

  @SchemaFieldName("new_merchant_category")
  public abstract long getNewMerchantCategory();

  @SchemaFieldName("velocity")
  public abstract long getVelocity();

  @SchemaFieldName("pane_index")
  public abstract long getPaneIndex();

  /** EARLY, ON_TIME or LATE. */
  @SchemaFieldName("pane_timing")
  public abstract String getPaneTiming();

  public static Builder builder() {
    return new AutoValue_FraudStats.Builder();
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setWindowStart(Instant v);

    public abstract Builder setWindowEnd(Instant v);

    public abstract Builder setTransactions(long v);

    public abstract Builder setFlagged(long v);

    public abstract Builder setFlaggedAmount(double v);

    public abstract Builder setUnknownAccount(long v);

    public abstract Builder setAmountSpike(long v);

    public abstract Builder setForeignCountry(long v);

    public abstract Builder setNewMerchantCategory(long v);

    public abstract Builder setVelocity(long v);

    public abstract Builder setPaneIndex(long v);

    public abstract Builder setPaneTiming(String v);

    public abstract FraudStats build();
  }
}
