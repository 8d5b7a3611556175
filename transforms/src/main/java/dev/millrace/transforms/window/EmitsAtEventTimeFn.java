package dev.millrace.transforms.window;

import org.apache.beam.sdk.transforms.DoFn;
import org.joda.time.Duration;

/**
 * A DoFn whose outputs carry their records' own event times, which may be earlier than the element
 * or timer that releases them: a parsed record's time from its payload, a verdict or a join's row
 * released by a later timer, watermark tick or bounded group. Lateness is judged downstream, by the
 * windows' allowed lateness, not by Beam's timestamp-skew check, which would reject such outputs.
 */
public abstract class EmitsAtEventTimeFn<InputT, OutputT> extends DoFn<InputT, OutputT> {
  @SuppressWarnings("deprecation")
  @Override
  public final Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
