package dev.millrace.transforms.parse;

import static dev.millrace.transforms.parse.JsonRecords.describe;
import static dev.millrace.transforms.parse.JsonRecords.invalid;
import static dev.millrace.transforms.parse.JsonRecords.requiredString;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.model.VitalsReading;
import java.math.BigDecimal;
import org.joda.time.Instant;

/**
 * The vitals record contract: required {@code patient_id} (non-empty string), {@code event_time}
 * (ISO-8601, as clickstream's), {@code heart_rate} (a JSON integer, 20..250), {@code spo2} (a number,
 * 50..100), {@code lat} (-90..90) and {@code lon} (-180..180); optional {@code steps} (a JSON integer
 * >= 0; null is absent). Ranges inclusive; a value of the wrong JSON type (a string, "NaN", 72.5 for an
 * integer) is {@code wrong_type}, one outside its range {@code out_of_range}. Pure and thread-safe.
 */
public final class VitalsParser implements RecordParser<VitalsReading> {
  private static final BigDecimal MIN_HEART_RATE = BigDecimal.valueOf(20);
  private static final BigDecimal MAX_HEART_RATE = BigDecimal.valueOf(250);
  private static final BigDecimal MIN_SPO2 = BigDecimal.valueOf(50);
  private static final BigDecimal MAX_SPO2 = BigDecimal.valueOf(100);
  private static final BigDecimal MAX_STEPS = BigDecimal.valueOf(Integer.MAX_VALUE);

  private final int maxRecordBytes;

  public VitalsParser(int maxRecordBytes) {
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public VitalsReading parse(String payload) throws InvalidRecordException {
    JsonNode root = JsonRecords.objectOf(payload, maxRecordBytes);
    String patientId = requiredString(root, "patient_id");
    Instant eventTime = EventTimes.parse("event_time", requiredString(root, "event_time"));
    int heartRate = integer(root, "heart_rate", MIN_HEART_RATE, MAX_HEART_RATE);
    BigDecimal spo2 = SensorReadingParser.number(root, "spo2", MIN_SPO2, MAX_SPO2);
    double lat = SensorReadingParser.number(root, "lat", BigDecimal.valueOf(-90), BigDecimal.valueOf(90)).doubleValue();
    double lon =
        SensorReadingParser.number(root, "lon", BigDecimal.valueOf(-180), BigDecimal.valueOf(180)).doubleValue();
    Integer steps = null;
    JsonNode stepsNode = root.get("steps");
    if (stepsNode != null && !stepsNode.isNull()) {
      steps = integer(root, "steps", BigDecimal.ZERO, MAX_STEPS);
    }
    return new VitalsReading(patientId, eventTime, heartRate, spo2, lat, lon, steps);
  }

  @Override
  public Instant eventTimeOf(VitalsReading reading) {
    return reading.eventTime();
  }

  /** A required JSON integer (no fraction, no exponent) within [min, max]. */
  private static int integer(JsonNode root, String field, BigDecimal min, BigDecimal max)
      throws InvalidRecordException {
    JsonNode node = root.get(field);
    if (node != null && node.isNumber() && !node.isIntegralNumber()) {
      throw invalid(Rejection.WRONG_TYPE, "field '" + field + "' must be an integer, but was " + describe(node));
    }
    return SensorReadingParser.number(root, field, min, max).intValueExact();
  }

}
