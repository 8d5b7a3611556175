package dev.millrace.runners.spark;

import dev.millrace.templates.cli.InputEnd;
import java.io.IOException;
import java.util.Map;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.runners.spark.util.GlobalWatermarkHolder;
import org.apache.beam.runners.spark.util.GlobalWatermarkHolder.SparkWatermarks;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.spark.streaming.StreamingContext;
import org.joda.time.Instant;

/**
 * Tells the driver of a Spark streaming job when its input has ended: every source's watermark is
 * at the end of time (a Kinesis read with {@code --maxRecords} moves it there after its records),
 * and {@link #BATCHES_AFTER_THE_END} micro-batches have completed since, so that the windows it
 * closed have fired and been written. A Spark streaming context never ends by itself; the CLI stops
 * it when this says so.
 *
 * <p>The watermarks are the ones Beam's Spark runner keeps on the driver ({@link
 * GlobalWatermarkHolder}), the same that fire its windows; they carry the time of the last batch
 * that completed, so batches are counted, not guessed from the wall clock. Found by the CLI by
 * name, as the templates compile without the Spark runner.
 */
public final class SparkEndOfInput implements InputEnd {
  /** Micro-batches to let complete after the end: one fires the windows, the rest write and finalize. */
  static final int BATCHES_AFTER_THE_END = 3;

  private final long batchIntervalMillis;
  private Instant endSeenInBatch;

  public SparkEndOfInput(PipelineOptions options) {
    this.batchIntervalMillis = options.as(SparkPipelineOptions.class).getBatchIntervalMillis();
  }

  @Override
  public boolean reached() {
    Map<Integer, SparkWatermarks> watermarks = GlobalWatermarkHolder.get(batchIntervalMillis);
    if (!atTheEnd(watermarks)) {
      endSeenInBatch = null;
      return false;
    }
    Instant batch = lastBatch(watermarks);
    if (endSeenInBatch == null) {
      endSeenInBatch = batch;
    }
    return batchesSince(endSeenInBatch, batch, batchIntervalMillis) >= BATCHES_AFTER_THE_END;
  }

  /**
   * Stops the streaming context without running the batches queued behind the last one: when a job's
   * batches take longer than its interval (its first, fullest ones do), Spark queues one empty batch
   * per interval, and a graceful stop would run them all (a minute or more) for nothing.
   */
  @Override
  public void stop(PipelineResult result) throws IOException {
    StreamingContext active = StreamingContext.getActive().getOrElse(() -> null);
    if (active != null) {
      quietWhenInterrupted();
      active.stop(false, false);
    }
    // Beam's own stop: on a stopped context it only waits for it and releases the Spark context.
    result.cancel();
  }

  /**
   * The (empty) batch under way when the context stops is interrupted, and Spark's job thread would
   * print the interruption as an uncaught exception: a stack trace after a run that went well.
   */
  private static void quietWhenInterrupted() {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("streaming-job-executor")) {
        Thread.UncaughtExceptionHandler spark = thread.getUncaughtExceptionHandler();
        thread.setUncaughtExceptionHandler((t, e) -> {
          if (!(e instanceof InterruptedException)) {
            spark.uncaughtException(t, e);
          }
        });
      }
    }
  }

  /** Whether every source has reported, and every one is at the end of time. */
  static boolean atTheEnd(Map<Integer, SparkWatermarks> watermarks) {
    Instant end = GlobalWindow.INSTANCE.maxTimestamp();
    return !watermarks.isEmpty()
        && watermarks.values().stream()
            .allMatch(w -> !w.getLowWatermark().isBefore(end) && !w.getHighWatermark().isBefore(end));
  }

  /** The time of the last micro-batch whose watermarks the driver holds. */
  static Instant lastBatch(Map<Integer, SparkWatermarks> watermarks) {
    return watermarks.values().stream()
        .map(SparkWatermarks::getSynchronizedProcessingTime)
        .min(Instant::compareTo)
        .orElseThrow();
  }

  /** Micro-batches completed after the one at {@code from}, up to the one at {@code to}. */
  static long batchesSince(Instant from, Instant to, long batchIntervalMillis) {
    return (to.getMillis() - from.getMillis()) / batchIntervalMillis;
  }
}
