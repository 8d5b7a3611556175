package dev.millrace.transforms.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventTimesTest {
  /** The ISO formatter's answer: epoch millis, or null where it (or the year rule) rejects the text. */
  static Long isoMillis(String text) {
    try {
      OffsetDateTime time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return time.getYear() < 1 || time.getYear() > 9999 ? null : time.toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static void agrees(String text) {
    long fast = EventTimes.commonFormMillis(text);
    if (fast != EventTimes.NOT_COMMON_FORM) {
      assertThat(isoMillis(text)).as(text).isEqualTo(fast);
    }
  }

  @Test
  void theCommonFormsTakeTheFastWayAndGiveTheFormattersInstant() {
    for (String text : new String[] {
        "2026-11-27T10:00:00Z", "2026-11-27T10:00:00.123Z", "2026-11-27T10:00:00.1Z", "2026-11-27T10:00:00.123456789Z",
        "2026-11-27T10:00:00+01:00", "2026-11-27T10:00:00.5-05:30", "1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999+17:59", "2024-02-29T12:00:00Z", "2026-01-01T00:00:00-00:00"}) {
      assertThat(EventTimes.commonFormMillis(text)).as(text).isNotEqualTo(EventTimes.NOT_COMMON_FORM);
      agrees(text);
    }
  }

  @Test
  void anythingElseIsLeftToTheFormatter() {
    for (String text : new String[] {
        "2026-11-27T10:00Z", "2026-11-27t10:00:00Z", "2026-11-27T10:00:00z", "2026-11-27T10:00:00.Z",
        "2026-11-27T10:00:00.1234567890Z", "2026-02-29T10:00:00Z", "2026-11-31T10:00:00Z", "2026-13-01T10:00:00Z",
        "2026-11-27T24:00:00Z", "2026-11-27T10:60:00Z", "2026-11-27T10:00:60Z", "0000-01-01T00:00:00Z",
        "2026-11-27T10:00:00+18:00", "2026-11-27T10:00:00+0100", "2026-11-27T10:00:00+01", "2026-11-27 10:00:00Z",
        "+2026-11-27T10:00:00Z", "2026-11-27T10:00:00", "2026-11-27T10:00:00Z ", "２026-11-27T10:00:00Z"}) {
      assertThat(EventTimes.commonFormMillis(text)).as(text).isEqualTo(EventTimes.NOT_COMMON_FORM);
    }
  }

  @Test
  void randomTimestampsAndTheirMutantsAgreeWithTheFormatter() {
    Random random = new Random(7);
    String alphabet = "0123456789-:.TZz+ tx";
    for (int i = 0; i < 200_000; i++) {
      String fraction = random.nextInt(3) == 0 ? "" : "." + String.valueOf(random.nextLong() & Long.MAX_VALUE)
          .substring(0, 1 + random.nextInt(10));
      String offset = random.nextBoolean() ? "Z"
          : String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-", random.nextInt(20), random.nextInt(62));
      String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", random.nextInt(10_000), 1 + random.nextInt(13),
          1 + random.nextInt(31), random.nextInt(25), random.nextInt(61), random.nextInt(61), fraction, offset);
      agrees(text);
      char[] mutant = text.toCharArray();
      mutant[random.nextInt(mutant.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
      agrees(new String(mutant));
      agrees(text.substring(0, random.nextInt(text.length())));
    }
  }
}
