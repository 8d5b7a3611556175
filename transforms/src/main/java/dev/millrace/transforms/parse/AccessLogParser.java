package dev.millrace.transforms.parse;

import dev.millrace.model.AccessLogEntry;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Turns one access log line in the "combined" format ({@code %h %l %u [%t] "%r" %>s %b
 * "%{Referer}i" "%{User-agent}i"}) into an {@link AccessLogEntry} or a {@link Rejection}. Blank lines
 * are neither: they are skipped. Pure and thread-safe; it never throws on bad input.
 */
public final class AccessLogParser implements Serializable {
  public static final String MALFORMED_LOG_LINE = "malformed_log_line";
  public static final String BAD_STATUS = "bad_status";
  public static final String BAD_BYTES = "bad_bytes";

  // Quoted fields may contain escaped quotes (\"), as Apache writes them.
  private static final String QUOTED = "\"((?:[^\"\\\\]|\\\\.)*)\"";
  private static final Pattern COMBINED =
      Pattern.compile("^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] " + QUOTED + " (\\S+) (\\S+) " + QUOTED + " " + QUOTED + "$");
  private static final Pattern BOT = Pattern.compile("bot|crawler|spider|slurp", Pattern.CASE_INSENSITIVE);
  private static final DateTimeFormatter LOG_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/uuuu:HH:mm:ss Z", Locale.ENGLISH).withResolverStyle(ResolverStyle.STRICT);

  private final int maxRecordBytes;

  public AccessLogParser(int maxRecordBytes) {
    this.maxRecordBytes = maxRecordBytes;
  }

  /** Exactly one of: an entry, a rejection, or neither (a blank line, skipped). */
  public record Outcome(@Nullable AccessLogEntry entry, @Nullable Rejection rejection) {
    public boolean isBlank() {
      return entry == null && rejection == null;
    }
  }

  /** A blank line (CR included) is no log entry: skipped, not a dead letter. */
  public static boolean isBlank(String line) {
    return line.isBlank();
  }

  /** This contract as a {@link RecordParser}, for {@link ParseRecords}: a rejection is thrown, a blank line skipped. */
  public RecordParser<AccessLogEntry> asRecordParser() {
    return new Contract(this);
  }

  private record Contract(AccessLogParser parser) implements RecordParser<AccessLogEntry> {
    @Override
    public AccessLogEntry parse(String line) throws InvalidRecordException {
      Outcome outcome = parser.parse(line);
      if (outcome.entry() == null) {
        throw new InvalidRecordException(outcome.rejection());
      }
      return outcome.entry();
    }

    @Override
    public Instant eventTimeOf(AccessLogEntry entry) {
      return entry.getEventTime();
    }

    @Override
    public boolean skips(String line) {
      return isBlank(line);
    }
  }

  public Outcome parse(String line) {
    String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    if (isBlank(text)) {
      return new Outcome(null, null);
    }
    if ((long) text.length() * 3 > maxRecordBytes) {
      int bytes = text.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > maxRecordBytes) {
        return rejected(Rejection.RECORD_TOO_LARGE,
            "the line is " + bytes + " bytes, more than the limit of " + maxRecordBytes);
      }
    }
    Matcher m = COMBINED.matcher(text);
    if (!m.matches()) {
      return rejected(MALFORMED_LOG_LINE,
          "not a combined-format log line (%h %l %u [%t] \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\")");
    }
    Instant time;
    try {
      time = new Instant(OffsetDateTime.parse(m.group(4), LOG_TIME).toInstant().toEpochMilli());
    } catch (DateTimeParseException e) {
      return rejected(Rejection.BAD_TIMESTAMP,
          "the time [" + m.group(4) + "] is not a valid date like 17/May/2015:10:05:03 +0000");
    }
    String status = m.group(6);
    if (!status.matches("[0-9]{3}")) {
      return rejected(BAD_STATUS, "the status '" + status + "' is not three digits");
    }
    String bytesText = m.group(7);
    long bytes;
    if (bytesText.equals("-")) {
      bytes = 0;
    } else if (bytesText.matches("[0-9]{1,18}")) {
      bytes = Long.parseLong(bytesText);
    } else {
      return rejected(BAD_BYTES, "the size '" + bytesText + "' is not a number of bytes or -");
    }
    AccessLogEntry.Builder entry =
        AccessLogEntry.builder()
            .setIp(m.group(1))
            .setEventTime(time)
            .setStatus(Integer.parseInt(status))
            .setBytes(bytes)
            .setReferrer(dash(unescape(m.group(8))))
            .setUserAgent(dash(unescape(m.group(9))))
            .setBot(BOT.matcher(m.group(9)).find());
    String[] request = unescape(m.group(5)).split(" ", -1);
    if (request.length == 3 && !request[0].isEmpty() && !request[1].isEmpty() && !request[2].isEmpty()) {
      int q = request[1].indexOf('?');
      entry.setMethod(request[0])
          .setPath(q < 0 ? request[1] : request[1].substring(0, q))
          .setQuery(q < 0 ? null : request[1].substring(q + 1))
          .setProtocol(request[2]);
    }
    return new Outcome(entry.build(), null);
  }

  private static final Pattern TIME_FIELD = Pattern.compile("\\[([^\\]]{20,40})\\]");

  /** The time ({@code %t}) of a log line, or null if it has none: for watermarks, before parsing. */
  public static @Nullable Instant eventTimeOf(String line) {
    Matcher m = TIME_FIELD.matcher(line);
    if (!m.find()) {
      return null;
    }
    try {
      return new Instant(OffsetDateTime.parse(m.group(1), LOG_TIME).toInstant().toEpochMilli());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Outcome rejected(String reason, String message) {
    return new Outcome(null, new Rejection(reason, message));
  }

  private static @Nullable String dash(String value) {
    return value.equals("-") ? null : value;
  }

  private static String unescape(String quoted) {
    return quoted.indexOf('\\') < 0 ? quoted : quoted.replace("\\\"", "\"").replace("\\\\", "\\");
  }
}
