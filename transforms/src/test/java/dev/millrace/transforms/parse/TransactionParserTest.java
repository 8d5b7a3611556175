package dev.millrace.transforms.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.millrace.model.Transaction;
import java.util.stream.Stream;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TransactionParserTest {
  private final TransactionParser parser = new TransactionParser(2048);

  static final String VALID =
      "{\"txn_id\":\"t1\",\"event_time\":\"2026-11-27T10:00:00.5+01:00\",\"account_id\":\"a1\",\"card_id\":\"c1\","
          + "\"merchant_id\":\"m1\",\"mcc\":\"5411\",\"amount\":12.34,\"currency\":\"eur\",\"country\":\"de\","
          + "\"channel\":\"pos\",\"device\":{\"ignored\":true}}";

  static String with(String field, String json) {
    return VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[0-9.]+)", "\"" + field + "\":" + json);
  }

  static String without(String field) {
    return VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[0-9.]+),", "");
  }

  @Test
  void parsesEveryFieldOfAValidTransaction() throws Exception {
    Transaction t = parser.parse(VALID);
    assertThat(t).isEqualTo(new Transaction("t1", Instant.parse("2026-11-27T09:00:00.500Z"), "a1", "c1", "m1", "5411",
        12.34, "EUR", "DE", "pos"));
  }

  static Stream<Arguments> invalidRecords() {
    return Stream.of(
        Arguments.of("", Rejection.EMPTY_RECORD),
        Arguments.of("{\"txn_id\":", Rejection.MALFORMED_JSON),
        Arguments.of("[1,2]", Rejection.NOT_AN_OBJECT),
        Arguments.of("{\"txn_id\":\"" + "x".repeat(3000) + "\"}", Rejection.RECORD_TOO_LARGE),
        Arguments.of(without("card_id"), Rejection.MISSING_FIELD),
        Arguments.of(without("amount"), Rejection.MISSING_FIELD),
        Arguments.of(with("merchant_id", "null"), Rejection.NULL_FIELD),
        Arguments.of(with("txn_id", "\" \""), Rejection.EMPTY_FIELD),
        Arguments.of(with("account_id", "42"), Rejection.WRONG_TYPE),
        Arguments.of(with("amount", "\"12.34\""), Rejection.WRONG_TYPE),
        Arguments.of(with("amount", "1e400"), Rejection.WRONG_TYPE),
        Arguments.of(with("amount", "0"), Rejection.NON_POSITIVE_AMOUNT),
        Arguments.of(with("amount", "-3.5"), Rejection.NON_POSITIVE_AMOUNT),
        Arguments.of(with("event_time", "\"2026-11-27 10:00\""), Rejection.BAD_TIMESTAMP),
        Arguments.of(with("mcc", "\"541\""), Rejection.INVALID_VALUE),
        Arguments.of(with("mcc", "\"54111\""), Rejection.INVALID_VALUE),
        Arguments.of(with("mcc", "\"54a1\""), Rejection.INVALID_VALUE),
        // Digits of another script are not the contract's digits.
        Arguments.of(with("mcc", "\"\u0665\u0664\u0661\u0661\""), Rejection.INVALID_VALUE),
        Arguments.of(with("currency", "\"E1R\""), Rejection.INVALID_VALUE),
        Arguments.of(with("currency", "\"\u00c9UR\""), Rejection.INVALID_VALUE),
        Arguments.of(with("country", "\"D\""), Rejection.INVALID_VALUE),
        Arguments.of(with("mcc", "5411"), Rejection.WRONG_TYPE),
        Arguments.of(with("currency", "\"EURO\""), Rejection.INVALID_VALUE),
        Arguments.of(with("country", "\"D1\""), Rejection.INVALID_VALUE),
        Arguments.of(with("channel", "\"web\""), Rejection.INVALID_VALUE));
  }

  @ParameterizedTest
  @MethodSource("invalidRecords")
  void rejectsEachBreachOfTheContractWithItsReason(String payload, String reason) {
    InvalidRecordException e = catchThrowableOfType(() -> parser.parse(payload), InvalidRecordException.class);
    assertThat(e).as("rejected: %s", payload.length() > 200 ? payload.substring(0, 200) : payload).isNotNull();
    assertThat(e.rejection().reason()).isEqualTo(reason);
    assertThat(e.getMessage()).isNotBlank();
  }
}
