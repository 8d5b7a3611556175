package dev.millrace.transforms.parse;

import java.io.Serializable;
import org.joda.time.Instant;

/** One record contract: a payload to a value, or an {@link InvalidRecordException} that says why not. */
public interface RecordParser<T> extends Serializable {
  T parse(String payload) throws InvalidRecordException;

  /** The value's event time: its element timestamp. */
  Instant eventTimeOf(T value);
}
