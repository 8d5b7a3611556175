package dev.millrace.pipelines.options;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;
import org.joda.time.Period;

/** Parses the durations options accept: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, or ISO-8601 ({@code PT5M}). */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  public static final String FORMAT = "a duration such as 30s, 5m, 1h, 500ms, 2d or PT5M";

  private Durations() {}

  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("expected " + FORMAT + ", but was empty");
    }
    String trimmed = text.trim();
    Matcher m = SHORT.matcher(trimmed);
    if (m.matches()) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected " + FORMAT + ", but '" + text + "' is too large");
      }
      switch (m.group(2)) {
        case "ms":
          return Duration.millis(n);
        case "s":
          return Duration.standardSeconds(n);
        case "m":
          return Duration.standardMinutes(n);
        case "h":
          return Duration.standardHours(n);
        default:
          return Duration.standardDays(n);
      }
    }
    if (trimmed.startsWith("PT") || trimmed.startsWith("P")) {
      try {
        return Period.parse(trimmed).toStandardDuration();
      } catch (RuntimeException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException("expected " + FORMAT + ", but was '" + text + "'");
  }

  /**
   * How long de-duplication keeps an id: the horizon, and never less than a window can still count
   * an event ({@code windowSize + allowedLateness}). A copy of an event carries its event time and so
   * falls in its original's window: kept this long, every copy is either dropped as a duplicate or,
   * its window closed, as too late. With less, a streaming run counted a copy that arrived after the
   * horizon but within the lateness (a replay whose copies were 10 event-minutes apart), where a
   * bounded run, whose watermark waits for the end, caught it.
   */
  public static Duration dedupRetention(String horizon, String windowSize, String allowedLateness) {
    Duration kept = parse(horizon);
    Duration windowLifetime = parse(windowSize).plus(parse(allowedLateness));
    return kept.isLongerThan(windowLifetime) ? kept : windowLifetime;
  }
}
