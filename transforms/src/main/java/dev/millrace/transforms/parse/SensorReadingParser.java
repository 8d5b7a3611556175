package dev.millrace.transforms.parse;

import static dev.millrace.transforms.parse.JsonRecords.abbreviate;
import static dev.millrace.transforms.parse.JsonRecords.describe;
import static dev.millrace.transforms.parse.JsonRecords.invalid;
import static dev.millrace.transforms.parse.JsonRecords.requiredString;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.model.SensorReading;
import java.math.BigDecimal;
import org.joda.time.Instant;

/**
 * The sensor reading record contract: required {@code device_id} (non-empty string), {@code
 * event_time} (ISO-8601, as clickstream's), {@code temperature_c} (a number in -100..300), {@code
 * vibration_mm_s} (0..1000) and {@code rpm} (0..100000), ranges inclusive; unknown fields ignored. A
 * non-number (including the text "NaN" or "Infinity") is {@code wrong_type}, a number outside its range
 * {@code out_of_range}. Numbers keep their exact decimal value. Pure and thread-safe.
 */
public final class SensorReadingParser implements RecordParser<SensorReading> {
  static final BigDecimal MIN_TEMPERATURE = BigDecimal.valueOf(-100);
  static final BigDecimal MAX_TEMPERATURE = BigDecimal.valueOf(300);
  static final BigDecimal MAX_VIBRATION = BigDecimal.valueOf(1000);
  static final BigDecimal MAX_RPM = BigDecimal.valueOf(100_000);

  private final int maxRecordBytes;

  public SensorReadingParser(int maxRecordBytes) {
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public SensorReading parse(String payload) throws InvalidRecordException {
    JsonNode root = JsonRecords.objectOf(payload, maxRecordBytes);
    String deviceId = requiredString(root, "device_id");
    Instant eventTime = EventTimes.parse("event_time", requiredString(root, "event_time"));
    BigDecimal temperature = number(root, "temperature_c", MIN_TEMPERATURE, MAX_TEMPERATURE);
    BigDecimal vibration = number(root, "vibration_mm_s", BigDecimal.ZERO, MAX_VIBRATION);
    BigDecimal rpm = number(root, "rpm", BigDecimal.ZERO, MAX_RPM);
    return new SensorReading(deviceId, eventTime, temperature, vibration, rpm);
  }

  @Override
  public Instant eventTimeOf(SensorReading reading) {
    return reading.eventTime();
  }

  /** A required JSON number within [min, max], as its exact decimal. */
  static BigDecimal number(JsonNode root, String field, BigDecimal min, BigDecimal max)
      throws InvalidRecordException {
    JsonNode node = JsonRecords.requiredNumber(root, field);
    // 1e400 can arrive as an infinite double, which has no decimal value: beyond any range.
    if (!Double.isFinite(node.doubleValue())) {
      throw invalid(Rejection.OUT_OF_RANGE, "field '" + field + "' must be in " + min.toPlainString() + ".."
          + max.toPlainString() + ", but was " + abbreviate(node.asText()));
    }
    BigDecimal value = node.decimalValue();
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw invalid(Rejection.OUT_OF_RANGE, "field '" + field + "' must be in " + min.toPlainString() + ".."
          + max.toPlainString() + ", but was " + abbreviate(node.asText()));
    }
    // Strip a huge exponent's trailing zeros (1.0E+2 -> 100) so sums stay small.
    return value.stripTrailingZeros();
  }
}
