package dev.millrace.transforms.sensor;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/** One pane of one patient's sliding window: the {@code vitals_stats} dataset. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class VitalsStats {
  @SchemaFieldNumber("0")
  @SchemaFieldName("patient_id")
  public abstract String getPatientId();

  @SchemaFieldNumber("1")
  @SchemaFieldName("window_start")
  public abstract Instant getWindowStart();

  @SchemaFieldNumber("2")
  @SchemaFieldName("window_end")
  public abstract Instant getWindowEnd();

  @SchemaFieldNumber("3")
  @SchemaFieldName("readings")
  public abstract long getReadings();

  @SchemaFieldNumber("4")
  @SchemaFieldName("avg_heart_rate")
  public abstract double getAvgHeartRate();

  @SchemaFieldNumber("5")
  @SchemaFieldName("max_heart_rate")
  public abstract double getMaxHeartRate();

  @SchemaFieldNumber("6")
  @SchemaFieldName("min_spo2")
  public abstract double getMinSpo2();

  @SchemaFieldNumber("7")
  @SchemaFieldName("avg_spo2")
  public abstract double getAvgSpo2();

  /** The largest haversine distance from home of the window's readings, metres. */
  @SchemaFieldNumber("8")
  @SchemaFieldName("max_distance_m")
  public abstract double getMaxDistanceM();

  @SchemaFieldNumber("9")
  @SchemaFieldName("pane_index")
  public abstract long getPaneIndex();

  /** EARLY, ON_TIME or LATE. */
  @SchemaFieldNumber("10")
  @SchemaFieldName("pane_timing")
  public abstract String getPaneTiming();

  public static Builder builder() {
    return new AutoValue_VitalsStats.Builder();
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setPatientId(String v);

    public abstract Builder setWindowStart(Instant v);

    public abstract Builder setWindowEnd(Instant v);

    public abstract Builder setReadings(long v);

    public abstract Builder setAvgHeartRate(double v);

    public abstract Builder setMaxHeartRate(double v);

    public abstract Builder setMinSpo2(double v);

    public abstract Builder setAvgSpo2(double v);

    public abstract Builder setMaxDistanceM(double v);

    public abstract Builder setPaneIndex(long v);

    public abstract Builder setPaneTiming(String v);

    public abstract VitalsStats build();
  }
}
