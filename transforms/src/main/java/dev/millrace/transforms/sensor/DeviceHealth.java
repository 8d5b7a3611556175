package dev.millrace.transforms.sensor;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/** One pane of one device's sliding window: the {@code device_health} dataset. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class DeviceHealth {
  @SchemaFieldNumber("0")
  @SchemaFieldName("device_id")
  public abstract String getDeviceId();

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
  @SchemaFieldName("avg_temperature_c")
  public abstract double getAvgTemperatureC();

  @SchemaFieldNumber("5")
  @SchemaFieldName("max_temperature_c")
  public abstract double getMaxTemperatureC();

  @SchemaFieldNumber("6")
  @SchemaFieldName("avg_vibration_mm_s")
  public abstract double getAvgVibrationMmS();

  @SchemaFieldNumber("7")
  @SchemaFieldName("max_vibration_mm_s")
  public abstract double getMaxVibrationMmS();

  @SchemaFieldNumber("8")
  @SchemaFieldName("avg_rpm")
  public abstract double getAvgRpm();

  /** Least-squares slope of vibration against event time, mm/s per minute; null with < 2 distinct times. */
  @SchemaFieldNumber("9")
  @SchemaFieldName("vibration_slope")
  public abstract @Nullable Double getVibrationSlope();

  /** From the registry; null when the device is not registered. */
  @SchemaFieldNumber("10")
  @SchemaFieldName("site")
  public abstract @Nullable String getSite();

  @SchemaFieldNumber("11")
  @SchemaFieldName("model")
  public abstract @Nullable String getModel();

  @SchemaFieldNumber("12")
  @SchemaFieldName("pane_index")
  public abstract long getPaneIndex();

  /** EARLY, ON_TIME or LATE. */
  @SchemaFieldNumber("13")
  @SchemaFieldName("pane_timing")
  public abstract String getPaneTiming();

  public static Builder builder() {
    return new AutoValue_DeviceHealth.Builder();
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setDeviceId(String v);

    public abstract Builder setWindowStart(Instant v);

    public abstract Builder setWindowEnd(Instant v);

    public abstract Builder setReadings(long v);

    public abstract Builder setAvgTemperatureC(double v);

    public abstract Builder setMaxTemperatureC(double v);

    public abstract Builder setAvgVibrationMmS(double v);

    public abstract Builder setMaxVibrationMmS(double v);

    public abstract Builder setAvgRpm(double v);

    public abstract Builder setVibrationSlope(@Nullable Double v);

    public abstract Builder setSite(@Nullable String v);

    public abstract Builder setModel(@Nullable String v);

    public abstract Builder setPaneIndex(long v);

    public abstract Builder setPaneTiming(String v);

    public abstract DeviceHealth build();
  }
}
