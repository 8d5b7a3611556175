package dev.millrace.runners.spark;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.runners.spark.util.GlobalWatermarkHolder;
import org.apache.beam.runners.spark.util.GlobalWatermarkHolder.SparkWatermarks;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.joda.time.Instant;

/**
 * Tells the driver of a Spark streaming job when its input has ended: every source's watermark is
 * at the end of time (a Kinesis read with {@code --maxRecords} moves it there after its records),
 * and has been for a few micro-batches, so that the windows it closed have fired and been written.
 * A Spark streaming context never ends by itself; the CLI stops it gracefully when this says so.
 *
 * <p>The watermarks are the ones Beam's Spark runner keeps on the driver ({@link
 * GlobalWatermarkHolder}), the same that fire its windows. Found by the CLI by name, as the
 * templates compile without the Spark runner.
 */
public final class SparkEndOfInput implements BooleanSupplier {
  /** Micro-batches to let run after the end: one fires the windows, the rest write and finalize. */
  static final int BATCHES_AFTER_THE_END = 3;

  private final long batchIntervalMillis;
  private long endSeenAt = -1;

  public SparkEndOfInput(PipelineOptions options) {
    this.batchIntervalMillis = options.as(SparkPipelineOptions.class).getBatchIntervalMillis();
  }

  @Override
  public boolean getAsBoolean() {
    if (!atTheEnd(GlobalWatermarkHolder.get(batchIntervalMillis))) {
      endSeenAt = -1;
      return false;
    }
    long now = System.currentTimeMillis();
    if (endSeenAt < 0) {
      endSeenAt = now;
    }
    return now - endSeenAt >= BATCHES_AFTER_THE_END * batchIntervalMillis;
  }

  /** Whether every source has reported, and every one is at the end of time. */
  static boolean atTheEnd(Map<Integer, SparkWatermarks> watermarks) {
    Instant end = GlobalWindow.INSTANCE.maxTimestamp();
    return !watermarks.isEmpty()
        && watermarks.values().stream()
            .allMatch(w -> !w.getLowWatermark().isBefore(end) && !w.getHighWatermark().isBefore(end));
  }
}
