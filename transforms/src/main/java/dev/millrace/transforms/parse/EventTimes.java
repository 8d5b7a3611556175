package dev.millrace.transforms.parse;

import java.time.OffsetDateTime;
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
}
