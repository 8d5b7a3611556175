package dev.millrace.model;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One wearable vitals reading, as the vitals record contract defines it. {@code spo2} keeps its exact
 * decimal (window averages are exact); {@code lat}/{@code lon} are degrees.
 */
public record VitalsReading(
    String patientId, Instant eventTime, int heartRate, BigDecimal spo2, double lat, double lon,
    @Nullable Integer steps) implements Serializable {

  public VitalsReading {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(spo2, "spo2");
  }

  /** What identifies a reading for de-duplication: its patient and event time (to the millisecond). */
  public String readingId() {
    return patientId + '@' + eventTime.getMillis();
  }
}
