package dev.millrace.transforms.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.millrace.model.SensorReading;
import java.math.BigDecimal;
import java.util.stream.Stream;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SensorReadingParserTest {
  private final SensorReadingParser parser = new SensorReadingParser(2048);

  static final String VALID = "{\"device_id\":\"dev-1\",\"event_time\":\"2026-01-01T01:00:00.25+01:00\","
      + "\"temperature_c\":71.30,\"vibration_mm_s\":2.5,\"rpm\":1500,\"firmware\":{\"ignored\":true}}";

  static String with(String field, String json) {
    return VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[0-9.]+)", "\"" + field + "\":" + json);
  }

  static String without(String field) {
    return VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[0-9.]+),", "");
  }

  @Test
  void parsesAValidReadingKeepingExactDecimals() throws Exception {
    SensorReading r = parser.parse(VALID);
    assertThat(r.deviceId()).isEqualTo("dev-1");
    assertThat(r.eventTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00.250Z"));
    assertThat(r.temperatureC()).isEqualByComparingTo(new BigDecimal("71.3"));
    assertThat(r.vibrationMmS()).isEqualByComparingTo(new BigDecimal("2.5"));
    assertThat(r.rpm()).isEqualByComparingTo(new BigDecimal("1500"));
    assertThat(r.readingId()).isEqualTo("dev-1@" + Instant.parse("2026-01-01T00:00:00.250Z").getMillis());
  }

  @Test
  void rangesAreInclusive() throws Exception {
    assertThat(parser.parse(with("temperature_c", "-100")).temperatureC()).isEqualByComparingTo("-100");
    assertThat(parser.parse(with("temperature_c", "300.000")).temperatureC()).isEqualByComparingTo("300");
    assertThat(parser.parse(with("vibration_mm_s", "0")).vibrationMmS()).isEqualByComparingTo("0");
    assertThat(parser.parse(with("vibration_mm_s", "1000")).vibrationMmS()).isEqualByComparingTo("1000");
    assertThat(parser.parse(with("rpm", "0")).rpm()).isEqualByComparingTo("0");
    assertThat(parser.parse(with("rpm", "1e5")).rpm()).isEqualByComparingTo("100000");
  }

  static Stream<Arguments> invalidRecords() {
    return Stream.of(
        Arguments.of("", Rejection.EMPTY_RECORD),
        Arguments.of("   ", Rejection.EMPTY_RECORD),
        Arguments.of("{\"device_id\":", Rejection.MALFORMED_JSON),
        Arguments.of("{\"temperature_c\":NaN}", Rejection.MALFORMED_JSON),
        Arguments.of("[1,2]", Rejection.NOT_AN_OBJECT),
        Arguments.of(without("device_id"), Rejection.MISSING_FIELD),
        Arguments.of(with("device_id", "\" \""), Rejection.EMPTY_FIELD),
        Arguments.of(with("device_id", "7"), Rejection.WRONG_TYPE),
        Arguments.of(with("event_time", "\"2026-01-01 10:00\""), Rejection.BAD_TIMESTAMP),
        Arguments.of(with("event_time", "1767225600000"), Rejection.WRONG_TYPE),
        Arguments.of(without("temperature_c"), Rejection.MISSING_FIELD),
        Arguments.of(with("temperature_c", "null"), Rejection.NULL_FIELD),
        Arguments.of(with("temperature_c", "\"NaN\""), Rejection.WRONG_TYPE),
        Arguments.of(with("temperature_c", "\"Infinity\""), Rejection.WRONG_TYPE),
        Arguments.of(with("temperature_c", "\"71.3\""), Rejection.WRONG_TYPE),
        Arguments.of(with("temperature_c", "-100.001"), Rejection.OUT_OF_RANGE),
        Arguments.of(with("temperature_c", "300.0001"), Rejection.OUT_OF_RANGE),
        Arguments.of(with("temperature_c", "1e400"), Rejection.OUT_OF_RANGE),
        Arguments.of(with("vibration_mm_s", "-0.001"), Rejection.OUT_OF_RANGE),
        Arguments.of(with("vibration_mm_s", "true"), Rejection.WRONG_TYPE),
        Arguments.of(with("rpm", "100000.01"), Rejection.OUT_OF_RANGE),
        Arguments.of(without("rpm"), Rejection.MISSING_FIELD),
        Arguments.of(with("device_id", "\"" + "x".repeat(3000) + "\""), Rejection.RECORD_TOO_LARGE));
  }

  @ParameterizedTest
  @MethodSource("invalidRecords")
  void rejectsEachBreachWithItsReason(String payload, String reason) {
    InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class, () -> parser.parse(payload));
    assertThat(e).as(payload.length() > 200 ? payload.substring(0, 200) : payload).isNotNull();
    assertThat(e.rejection().reason()).isEqualTo(reason);
  }
}
