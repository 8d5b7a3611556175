package dev.millrace.transforms.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every record contract against fuzzed input: random bytes, invalid UTF-8, valid records truncated
 * or with bytes flipped, JSON nested deeper than any parser's stack, 2 MiB records, empty and
 * whitespace ones, extreme numbers. Each payload must come out as a value or as a rejection with a
 * known reason and a message; nothing else (no other exception, no stack overflow) may escape.
 */
class FuzzedRecordsTest {
  static final int MAX_RECORD_BYTES = 1 << 20;
  static final int RECORDS = 5_000;

  static Stream<Arguments> contracts() {
    return Stream.of(
        Arguments.of("clickstream", new ClickEventParser(MAX_RECORD_BYTES).asRecordParser(),
            ClickEventParserTest.VALID_PURCHASE),
        Arguments.of("access log", new AccessLogParser(MAX_RECORD_BYTES).asRecordParser(), AccessLogParserTest.VALID),
        Arguments.of("transaction", new TransactionParser(MAX_RECORD_BYTES), TransactionParserTest.VALID),
        Arguments.of("sensor reading", new SensorReadingParser(MAX_RECORD_BYTES), SensorReadingParserTest.VALID),
        Arguments.of("vitals", new VitalsParser(MAX_RECORD_BYTES), VitalsParserTest.VALID),
        Arguments.of("impression", new AdEventParsers.ImpressionParser(MAX_RECORD_BYTES), AdEventParsersTest.IMPRESSION),
        Arguments.of("ad click", new AdEventParsers.AdClickParser(MAX_RECORD_BYTES), AdEventParsersTest.CLICK),
        Arguments.of("conversion", new AdEventParsers.ConversionParser(MAX_RECORD_BYTES), AdEventParsersTest.CONVERSION));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contracts")
  void everyFuzzedPayloadIsAValueOrARejectionWithAReason(String name, RecordParser<?> parser, String valid)
      throws Exception {
    assertThat(parser.parse(valid)).as("the valid sample").isNotNull();
    Set<String> reasons = knownReasons();
    Map<String, Integer> outcomes = new TreeMap<>();
    for (String payload : fuzz(valid, new Random(name.hashCode()))) {
      String outcome;
      try {
        if (parser.skips(payload)) {
          outcome = "skipped";
        } else {
          assertThat(parser.parse(payload)).isNotNull();
          outcome = "valid";
        }
      } catch (InvalidRecordException e) {
        assertThat(e.rejection().reason()).as("reason for %s", abbreviate(payload)).isIn(reasons);
        assertThat(e.rejection().message()).as("message for %s", abbreviate(payload)).isNotBlank();
        assertThat(e.rejection().message().length()).as("a message, not the payload again").isLessThan(2_000);
        outcome = e.rejection().reason();
      } catch (Throwable t) {
        throw new AssertionError(name + ": " + t + " escaped the parser for " + abbreviate(payload), t);
      }
      outcomes.merge(outcome, 1, Integer::sum);
    }
    // The fuzz reaches the checks it is meant for, whatever the contract (a log line is not JSON,
    // and a blank one is skipped, not rejected).
    assertThat(outcomes).as("%s: outcomes", name).containsKey(Rejection.RECORD_TOO_LARGE);
    assertThat(outcomes.keySet()).as("%s: outcomes", name)
        .containsAnyOf(Rejection.MALFORMED_JSON, AccessLogParser.MALFORMED_LOG_LINE)
        .containsAnyOf(Rejection.EMPTY_RECORD, "skipped");
    assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(RECORDS);
  }

  /** The payloads: each kind in turn, decoded from bytes as the sources do (invalid UTF-8 becomes U+FFFD). */
  static List<String> fuzz(String valid, Random random) {
    byte[] validBytes = valid.getBytes(StandardCharsets.UTF_8);
    List<String> payloads = new ArrayList<>();
    for (int i = 0; payloads.size() < RECORDS; i++) {
      switch (i % 12) {
        case 0 -> payloads.add(decode(randomBytes(random, random.nextInt(200))));
        case 1 -> payloads.add(valid.substring(0, random.nextInt(valid.length())));
        case 2 -> {
          byte[] flipped = validBytes.clone();
          for (int n = 0; n < 1 + random.nextInt(4); n++) {
            flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
          }
          payloads.add(decode(flipped));
        }
        case 3 -> payloads.add(nested(random.nextBoolean() ? "[" : "{\"a\":", 1_000 + random.nextInt(100_000)));
        case 4 -> payloads.add(switch (i % 96) {
          case 4 -> "x".repeat(2 << 20); // 2 MiB
          case 52 -> valid + " ".repeat(MAX_RECORD_BYTES + 1 - validBytes.length); // one byte over the limit
          default -> valid.replaceFirst(":\"", ":\"\u0001\u001f\u2028"); // raw control characters
        });
        case 5 -> payloads.add(List.of("", " ", "\t", "\r", "\u0000", "null", "[]", "{}", "\"\"", "0").get(random.nextInt(10)));
        case 6 -> payloads.add(decode(new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}', (byte) 0xFF}));
        case 7 -> payloads.add(valid.replaceFirst("\\d+(\\.\\d+)?([,}])",
            List.of("1e400", "-0", "99999999999999999999999999", "NaN", "-1e-400", "0x10").get(random.nextInt(6)) + "$2"));
        case 8 -> payloads.add(valid.replace("\"", random.nextBoolean() ? "'" : "\\\""));
        case 9 -> payloads.add(valid + valid);
        case 10 -> payloads.add(valid.replaceFirst(":\"", ":\"\uD800"));
        default -> payloads.add(valid.replaceAll(":\"[^\"]*\"", ":" + List.of("null", "1", "true", "[]", "{}").get(random.nextInt(5))));
      }
    }
    return payloads;
  }

  static String decode(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  static String nested(String open, int depth) {
    return open.repeat(depth);
  }

  static Set<String> knownReasons() throws IllegalAccessException {
    Set<String> reasons = new java.util.HashSet<>();
    for (Field f : Rejection.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        reasons.add((String) f.get(null));
      }
    }
    // The access log contract's own codes.
    reasons.addAll(Arrays.stream(AccessLogParser.class.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(f -> {
          try {
            return (String) f.get(null);
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }).collect(Collectors.toSet()));
    return reasons;
  }

  static String abbreviate(String payload) {
    return payload.length() <= 120 ? payload : payload.substring(0, 120) + "... (" + payload.length() + " chars)";
  }
}
