package dev.millrace.transforms.window;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;

/**
 * A DoFn whose outputs carry their records' own event times, which may be earlier than the element
 * or timer that releases them: a parsed record's time from its payload, a verdict or a join's row
 * released by a later timer, watermark tick or bounded group. Lateness is judged downstream, by the
 * windows' allowed lateness, not by Beam's timestamp-skew check, which would reject such outputs.
 */
public abstract class EmitsAtEventTimeFn<InputT, OutputT> extends DoFn<InputT, OutputT> {
  /**
   * The whole range of Beam's timestamps: any valid output time passes the skew check. Not {@code
   * Long.MAX_VALUE} milliseconds: the runner subtracts the skew from the input's timestamp, and for a
   * negative one (every element of a bounded file read, at the minimum timestamp) that overflows; the
   * runner catches the overflow, so the check passed, but at the cost of an exception with its stack
   * trace per output, 2-4 s of a 1M-record parse on Flink.
   */
  static final Duration ANY_EARLIER_TIME =
      new Duration(BoundedWindow.TIMESTAMP_MIN_VALUE, BoundedWindow.TIMESTAMP_MAX_VALUE);

  @SuppressWarnings("deprecation")
  @Override
  public final Duration getAllowedTimestampSkew() {
    return ANY_EARLIER_TIME;
  }
}
