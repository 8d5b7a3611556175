package dev.millrace.transforms.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.ClickEvent;
import java.util.stream.Stream;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClickEventParserTest {
  private final ClickEventParser parser = new ClickEventParser(1024);

  static final String VALID_PURCHASE =
      "{\"event_id\":\"e1\",\"event_time\":\"2026-11-27T10:00:00.123Z\",\"user_id\":\"u1\","
          + "\"page\":\"/checkout\",\"action\":\"purchase\",\"amount\":19.99,"
          + "\"session_id\":\"s1\",\"country\":\"DE\",\"user_agent\":\"UA\",\"referrer\":null,"
          + "\"extra\":{\"ignored\":true}}";

  @Test
  void parsesEveryFieldOfAValidPurchase() {
    ClickEventParser.Outcome outcome = parser.parse(VALID_PURCHASE);
    assertThat(outcome.rejection()).isNull();
    ClickEvent event = outcome.event();
    assertThat(event.getEventId()).isEqualTo("e1");
    assertThat(event.getEventTime()).isEqualTo(Instant.parse("2026-11-27T10:00:00.123Z"));
    assertThat(event.getUserId()).isEqualTo("u1");
    assertThat(event.getPage()).isEqualTo("/checkout");
    assertThat(event.getAction()).isEqualTo("purchase");
    assertThat(event.getAmount()).isEqualTo(19.99);
    assertThat(event.getSessionId()).isEqualTo("s1");
    assertThat(event.getCountry()).isEqualTo("DE");
    assertThat(event.getUserAgent()).isEqualTo("UA");
    assertThat(event.getReferrer()).isNull();
  }

  @Test
  void appliesTheOffsetOfTheEventTime() {
    ClickEvent event =
        parser.parse(record("\"event_time\":\"2026-11-27T11:00:00+01:00\"", "view", null)).event();
    assertThat(event.getEventTime()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
  }

  @Test
  void ignoresTheAmountOfANonPurchase() {
    ClickEvent event = parser.parse(record(TIME, "view", "\"lots\"")).event();
    assertThat(event).isNotNull();
    assertThat(event.getAmount()).isNull();
  }

  @Test
  void acceptsUnicodePagesAndAZeroAmount() {
    String json =
        "{\"event_id\":\"e\",\"event_time\":\"2026-11-27T10:00:00Z\",\"user_id\":\"u\","
            + "\"page\":\"/straße/日本\",\"action\":\"purchase\",\"amount\":0}";
    ClickEvent event = parser.parse(json).event();
    assertThat(event.getPage()).isEqualTo("/straße/日本");
    assertThat(event.getAmount()).isEqualTo(0.0);
  }

  static final String TIME = "\"event_time\":\"2026-11-27T10:00:00Z\"";

  static String record(String timeField, String action, String amount) {
    return "{\"event_id\":\"e\","
        + timeField
        + ",\"user_id\":\"u\",\"page\":\"/p\",\"action\":\""
        + action
        + "\""
        + (amount == null ? "" : ",\"amount\":" + amount)
        + "}";
  }

  static Stream<Arguments> invalidRecords() {
    return Stream.of(
        Arguments.of("", Rejection.EMPTY_RECORD),
        Arguments.of("   ", Rejection.EMPTY_RECORD),
        Arguments.of("x".repeat(2000), Rejection.RECORD_TOO_LARGE),
        Arguments.of("{\"event_id\":", Rejection.MALFORMED_JSON),
        Arguments.of("not json at all", Rejection.MALFORMED_JSON),
        Arguments.of("{\"a\":1} trailing", Rejection.MALFORMED_JSON),
        Arguments.of("{\"event_id\":\"a\",\"event_id\":\"b\"}", Rejection.MALFORMED_JSON),
        Arguments.of("[1,2,3]", Rejection.NOT_AN_OBJECT),
        Arguments.of("\"a string\"", Rejection.NOT_AN_OBJECT),
        Arguments.of("null", Rejection.NOT_AN_OBJECT),
        Arguments.of("{\"event_time\":\"2026-11-27T10:00:00Z\",\"user_id\":\"u\",\"page\":\"/p\","
            + "\"action\":\"view\"}", Rejection.MISSING_FIELD),
        Arguments.of("{\"event_id\":\"e\",\"event_time\":\"2026-11-27T10:00:00Z\",\"user_id\":null,"
            + "\"page\":\"/p\",\"action\":\"view\"}", Rejection.NULL_FIELD),
        Arguments.of("{\"event_id\":\"\",\"event_time\":\"2026-11-27T10:00:00Z\",\"user_id\":\"u\","
            + "\"page\":\"/p\",\"action\":\"view\"}", Rejection.EMPTY_FIELD),
        Arguments.of(record("\"event_time\":1764237600000", "view", null), Rejection.WRONG_TYPE),
        Arguments.of("{\"event_id\":42,\"event_time\":\"2026-11-27T10:00:00Z\",\"user_id\":\"u\","
            + "\"page\":\"/p\",\"action\":\"view\"}", Rejection.WRONG_TYPE),
        Arguments.of(record(TIME, "purchase", "\"19.99\""), Rejection.WRONG_TYPE),
        Arguments.of(record(TIME, "purchase", "true"), Rejection.WRONG_TYPE),
        Arguments.of(record(TIME, "purchase", "1e400"), Rejection.WRONG_TYPE),
        Arguments.of(
            "{\"event_id\":\"e\"," + TIME + ",\"user_id\":\"u\",\"page\":\"/p\",\"action\":\"view\","
                + "\"country\":7}", Rejection.WRONG_TYPE),
        Arguments.of(record("\"event_time\":\"2026-11-27 10:00:00\"", "view", null),
            Rejection.BAD_TIMESTAMP),
        Arguments.of(record("\"event_time\":\"2026-11-27T10:00:00\"", "view", null),
            Rejection.BAD_TIMESTAMP),
        Arguments.of(record("\"event_time\":\"2026-13-40T10:00:00Z\"", "view", null),
            Rejection.BAD_TIMESTAMP),
        Arguments.of(record("\"event_time\":\"yesterday\"", "view", null), Rejection.BAD_TIMESTAMP),
        Arguments.of(record(TIME, "VIEW", null), Rejection.UNKNOWN_ACTION),
        Arguments.of(record(TIME, "scroll", null), Rejection.UNKNOWN_ACTION),
        Arguments.of(record(TIME, "purchase", "-5"), Rejection.NEGATIVE_AMOUNT),
        Arguments.of(record(TIME, "purchase", null), Rejection.MISSING_AMOUNT),
        Arguments.of(record(TIME, "purchase", "null"), Rejection.MISSING_AMOUNT));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("invalidRecords")
  void rejectsInvalidRecordsWithTheirReason(String payload, String reason) {
    ClickEventParser.Outcome outcome = parser.parse(payload);
    assertThat(outcome.event()).isNull();
    assertThat(outcome.rejection().reason()).isEqualTo(reason);
    assertThat(outcome.rejection().message()).isNotBlank();
  }

  @Test
  void namesTheFieldInTheMessage() {
    assertThat(parser.parse(record(TIME, "purchase", "\"19.99\"")).rejection().message())
        .isEqualTo("field 'amount' must be a number, but was a string ('19.99')");
  }
}
