package dev.millrace.transforms.fraud;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/** One pane of the fraud statistics of one event-time window: the {@code fraud_stats} dataset. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class FraudStats {
  @SchemaFieldNumber("0")
  @SchemaFieldName("window_start")
  public abstract Instant getWindowStart();

  @SchemaFieldNumber("1")
  @SchemaFieldName("window_end")
  public abstract Instant getWindowEnd();

  @SchemaFieldNumber("2")
  @SchemaFieldName("transactions")
  public abstract long getTransactions();

  @SchemaFieldNumber("3")
  @SchemaFieldName("flagged")
  public abstract long getFlagged();

  /** Sum of the flagged transactions' amounts (summed exactly, in millionths). */
  @SchemaFieldNumber("4")
  @SchemaFieldName("flagged_amount")
  public abstract double getFlaggedAmount();

  @SchemaFieldNumber("5")
  @SchemaFieldName("unknown_account")
  public abstract long getUnknownAccount();

  @SchemaFieldNumber("6")
  @SchemaFieldName("amount_spike")
  public abstract long getAmountSpike();

  @SchemaFieldNumber("7")
  @SchemaFieldName("foreign_country")
  public abstract long getForeignCountry();

  @SchemaFieldNumber("8")
  @SchemaFieldName("new_merchant_category")
  public abstract long getNewMerchantCategory();

  @SchemaFieldNumber("9")
  @SchemaFieldName("velocity")
  public abstract long getVelocity();

  @SchemaFieldNumber("10")
  @SchemaFieldName("pane_index")
  public abstract long getPaneIndex();

  /** EARLY, ON_TIME or LATE. */
  @SchemaFieldNumber("11")
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
