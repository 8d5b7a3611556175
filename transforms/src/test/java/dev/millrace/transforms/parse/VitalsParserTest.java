package dev.millrace.transforms.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.millrace.model.VitalsReading;
import java.util.stream.Stream;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VitalsParserTest {
  private final VitalsParser parser = new VitalsParser(2048);

  static final String VALID = "{\"patient_id\":\"p1\",\"event_time\":\"2026-01-01T00:00:00Z\",\"heart_rate\":72,"
      + "\"spo2\":97.5,\"lat\":52.52,\"lon\":13.405,\"steps\":12,\"battery\":\"ok\"}";

  static String with(String field, String json) {
    return VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[0-9.]+)", "\"" + field + "\":" + json);
  }

  static String without(String field) {
    return VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[0-9.]+),", "");
  }

  @Test
  void parsesAValidReading() throws Exception {
    VitalsReading r = parser.parse(VALID);
    assertThat(r.patientId()).isEqualTo("p1");
    assertThat(r.eventTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(r.heartRate()).isEqualTo(72);
    assertThat(r.spo2()).isEqualByComparingTo("97.5");
    assertThat(r.lat()).isEqualTo(52.52);
    assertThat(r.lon()).isEqualTo(13.405);
    assertThat(r.steps()).isEqualTo(12);
  }

  @Test
  void stepsAreOptionalAndRangesInclusive() throws Exception {
    assertThat(parser.parse(without("steps")).steps()).isNull();
    assertThat(parser.parse(with("steps", "null")).steps()).isNull();
    assertThat(parser.parse(with("steps", "0")).steps()).isZero();
    assertThat(parser.parse(with("heart_rate", "20")).heartRate()).isEqualTo(20);
    assertThat(parser.parse(with("heart_rate", "250")).heartRate()).isEqualTo(250);
    assertThat(parser.parse(with("spo2", "50")).spo2()).isEqualByComparingTo("50");
    assertThat(parser.parse(with("spo2", "100.0")).spo2()).isEqualByComparingTo("100");
    assertThat(parser.parse(with("lat", "-90")).lat()).isEqualTo(-90);
    assertThat(parser.parse(with("lon", "180")).lon()).isEqualTo(180);
  }

  static Stream<Arguments> invalidRecords() {
    return Stream.of(
        Arguments.of("", Rejection.EMPTY_RECORD),
        Arguments.of("{\"patient_id\":", Rejection.MALFORMED_JSON),
        Arguments.of("42", Rejection.NOT_AN_OBJECT),
        Arguments.of(without("patient_id"), Rejection.MISSING_FIELD),
        Arguments.of(with("patient_id", "\"\""), Rejection.EMPTY_FIELD),
        Arguments.of(with("event_time", "\"2026-13-01T00:00:00Z\""), Rejection.BAD_TIMESTAMP),
        Arguments.of(without("heart_rate"), Rejection.MISSING_FIELD),
        Arguments.of(with("heart_rate", "72.5"), Rejection.WRONG_TYPE),
        Arguments.of(with("heart_rate", "72.0"), Rejection.WRONG_TYPE),
        Arguments.of(with("heart_rate", "\"72\""), Rejection.WRONG_TYPE),
        Arguments.of(with("heart_rate", "19"), Rejection.OUT_OF_RANGE),
        Arguments.of(with("heart_rate", "251"), Rejection.OUT_OF_RANGE),
        Arguments.of(with("heart_rate", "99999999999999999999"), Rejection.OUT_OF_RANGE),
        Arguments.of(with("spo2", "\"NaN\""), Rejection.WRONG_TYPE),
        Arguments.of(with("spo2", "49.99"), Rejection.OUT_OF_RANGE),
        Arguments.of(with("spo2", "100.01"), Rejection.OUT_OF_RANGE),
        Arguments.of(with("lat", "90.000001"), Rejection.OUT_OF_RANGE),
        Arguments.of(with("lon", "-180.5"), Rejection.OUT_OF_RANGE),
        Arguments.of(with("lon", "null"), Rejection.NULL_FIELD),
        Arguments.of(with("steps", "-1"), Rejection.OUT_OF_RANGE),
        Arguments.of(with("steps", "1.5"), Rejection.WRONG_TYPE),
        Arguments.of(with("steps", "\"3\""), Rejection.WRONG_TYPE));
  }

  @ParameterizedTest
  @MethodSource("invalidRecords")
  void rejectsEachBreachWithItsReason(String payload, String reason) {
    InvalidRecordException e = catchThrowableOfType(InvalidRecordException.class, () -> parser.parse(payload));
    assertThat(e).as(payload).isNotNull();
    assertThat(e.rejection().reason()).as(payload).isEqualTo(reason);
  }
}
