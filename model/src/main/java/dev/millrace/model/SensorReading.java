package dev.millrace.model;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;
import org.joda.time.Instant;

/**
 * One machine sensor reading, as the reading record contract defines it. Measurements keep the
 * exact decimal of the record's JSON number, so window averages and threshold checks are exact and
 * the same on every runner, whatever order values are combined in.
 */
public record SensorReading(
    String deviceId, Instant eventTime, BigDecimal temperatureC, BigDecimal vibrationMmS, BigDecimal rpm)
    implements Serializable {

  public SensorReading {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(temperatureC, "temperatureC");
    Objects.requireNonNull(vibrationMmS, "vibrationMmS");
    Objects.requireNonNull(rpm, "rpm");
  }

  /** What identifies a reading for de-duplication: its device and event time (to the millisecond). */
  public String readingId() {
    return deviceId + '@' + eventTime.getMillis();
  }
}
