package dev.millrace.runners.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.beam.runners.spark.util.GlobalWatermarkHolder.SparkWatermarks;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class SparkEndOfInputTest {
  static final Instant END = GlobalWindow.INSTANCE.maxTimestamp();

  static SparkWatermarks at(Instant low, Instant high, long batch) {
    return new SparkWatermarks(low, high, new Instant(batch));
  }

  @Test
  void theInputHasEndedOnlyWhenEverySourceIsAtTheEndOfTime() {
    assertThat(SparkEndOfInput.atTheEnd(Map.of())).as("no source has reported yet").isFalse();
    assertThat(SparkEndOfInput.atTheEnd(Map.of(1, at(END, END, 0)))).isTrue();
    assertThat(SparkEndOfInput.atTheEnd(Map.of(1, at(END, END, 0), 2, at(new Instant(5), END, 0))))
        .as("one source still reading").isFalse();
    assertThat(SparkEndOfInput.atTheEnd(Map.of(1, at(new Instant(5), new Instant(7), 0)))).isFalse();
  }

  @Test
  void batchesAreCountedByTheTimeOfTheLastCompletedBatchNotByTheClock() {
    // Sources report the same batch time; the earliest is the last batch every source has completed.
    assertThat(SparkEndOfInput.lastBatch(Map.of(1, at(END, END, 6_000), 2, at(END, END, 4_000))))
        .isEqualTo(new Instant(4_000));
    assertThat(SparkEndOfInput.batchesSince(new Instant(4_000), new Instant(4_000), 2_000)).isZero();
    assertThat(SparkEndOfInput.batchesSince(new Instant(4_000), new Instant(9_999), 2_000)).isEqualTo(2);
    assertThat(SparkEndOfInput.batchesSince(new Instant(4_000), new Instant(10_000), 2_000))
        .isEqualTo(SparkEndOfInput.BATCHES_AFTER_THE_END);
  }
}
