package dev.millrace.transforms.parse;

import java.io.Serializable;
import org.joda.time.Instant;

/** One record contract: a payload to a value, or an {@link InvalidRecordException} that says why not. */
public interface RecordParser<T> extends Serializable {
  T parse(String payload) throws InvalidRecordException;

  /** The value's event time: its element timestamp. */
  Instant eventTimeOf(T value);

  /**
   * Whether a payload is no record at all (a blank line of a log file): skipped and counted as
   * {@code blank_lines_skipped}, never a dead letter. Most contracts have no such payload.
   */
  default boolean skips(String payload) {
    return false;
  }
}
