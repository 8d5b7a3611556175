package dev.millrace.transforms.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class EmitsAtEventTimeFnTest {
  private final EmitsAtEventTimeFn<String, String> fn = new EmitsAtEventTimeFn<>() {};

  @Test
  @SuppressWarnings("deprecation")
  void theSkewReachesTheEarliestTimestampFromAnyInputWithoutOverflow() {
    // What the runner's check computes: the input's timestamp minus the skew. It must neither
    // overflow (an exception per output) nor leave any valid timestamp too early.
    for (Instant input : new Instant[] {BoundedWindow.TIMESTAMP_MIN_VALUE, new Instant(-1), new Instant(0),
        Instant.parse("2026-12-06T12:00:00Z"), BoundedWindow.TIMESTAMP_MAX_VALUE}) {
      assertThatCode(() -> input.minus(fn.getAllowedTimestampSkew())).as("%s", input).doesNotThrowAnyException();
      assertThat(input.minus(fn.getAllowedTimestampSkew())).as("%s", input)
          .isLessThanOrEqualTo(BoundedWindow.TIMESTAMP_MIN_VALUE);
    }
  }
}
