package dev.millrace.transforms.parse;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/** Event-time parsing shared by every record contract: ISO-8601 instants with a zone offset. */
public final class EventTimes {
  private EventTimes() {}

  /**
   * Parses an ISO-8601 instant that has {@code Z} or an offset, fractional seconds optional. Digits
   * below the millisecond are truncated (Beam timestamps are milliseconds).
   */
  public static Instant parse(String field, String text) throws InvalidRecordException {
    long millis = commonFormMillis(text);
    if (millis != NOT_COMMON_FORM) {
      return new Instant(millis);
    }
    OffsetDateTime time;
    try {
      time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw JsonRecords.invalid(
          Rejection.BAD_TIMESTAMP,
          "field '"
              + field
              + "' must be an ISO-8601 instant with Z or an offset (2026-11-27T10:00:00Z), but was '"
              + JsonRecords.abbreviate(text)
              + "'");
    }
    int year = time.getYear();
    if (year < 1 || year > 9999) {
      throw JsonRecords.invalid(
          Rejection.BAD_TIMESTAMP, "field '" + field + "' has a year outside 0001-9999: " + year);
    }
    Instant instant = new Instant(time.toInstant().toEpochMilli());
    if (instant.isBefore(BoundedWindow.TIMESTAMP_MIN_VALUE)
        || instant.isAfter(BoundedWindow.TIMESTAMP_MAX_VALUE)) {
      throw JsonRecords.invalid(
          Rejection.BAD_TIMESTAMP, "field '" + field + "' is outside Beam's timestamp range");
    }
    return instant;
  }

  static final long NOT_COMMON_FORM = Long.MIN_VALUE;

  /**
   * The epoch milliseconds of {@code text} when it has the form nearly every record uses,
   * {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+HH:MM|-HH:MM)} with every field in range, else
   * {@link #NOT_COMMON_FORM} and the caller takes {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}'s
   * way, which also gives the errors. Why: that formatter was 5-6% of every template's CPU (a
   * parse context and a resolver per timestamp); this is a few comparisons per character.
   */
  static long commonFormMillis(String text) {
    int n = text.length();
    if (n < 20 || n > 35 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return NOT_COMMON_FORM;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (year < 1 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59 || day > YearMonth.of(year, month).lengthOfMonth()) {
      return NOT_COMMON_FORM;
    }
    int at = 19;
    int fractionMillis = 0;
    if (text.charAt(at) == '.') {
      int start = ++at;
      while (at < n && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
        if (at - start < 3) {
          fractionMillis = fractionMillis * 10 + (text.charAt(at) - '0');
        }
        at++;
      }
      int count = at - start;
      if (count < 1 || count > 9) {
        return NOT_COMMON_FORM;
      }
      for (int i = count; i < 3; i++) {
        fractionMillis *= 10;
      }
    }
    int offsetSeconds;
    if (at == n - 1 && text.charAt(at) == 'Z') {
      offsetSeconds = 0;
    } else if (at == n - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-') && text.charAt(at + 3) == ':') {
      int offsetHours = digits(text, at + 1, 2);
      int offsetMinutes = digits(text, at + 4, 2);
      if (offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59) {
        return NOT_COMMON_FORM;
      }
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (text.charAt(at) == '-' ? -1 : 1);
    } else {
      return NOT_COMMON_FORM;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long epochSecond = epochDay * 86_400 + hour * 3_600L + minute * 60L + second - offsetSeconds;
    return epochSecond * 1_000 + fractionMillis;
  }

  /** The decimal number in {@code text[from, from + count)}, or -1 if a character there is not a digit. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
