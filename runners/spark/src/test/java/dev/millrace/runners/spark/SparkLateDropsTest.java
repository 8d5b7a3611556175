package dev.millrace.runners.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.Accounting;
import dev.millrace.transforms.runners.CountLateDrops;
import java.nio.file.Path;
import org.apache.beam.runners.spark.TestSparkPipelineOptions;
import org.apache.beam.runners.spark.TestSparkRunner;
import org.apache.beam.runners.spark.io.CreateStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Beam's Spark runner in streaming drops late elements without reporting them; with the twins of
 * {@link CountLateDrops} (as the CLI adds them) the run's metrics count every one: micro-batches
 * with the watermark moved between them, on {@code local[2]}.
 */
class SparkLateDropsTest {
  static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  static TimestampedValue<KV<String, Long>> at(String key, int seconds) {
    return TimestampedValue.of(KV.of(key, 1L), T0.plus(Duration.standardSeconds(seconds)));
  }

  @Test
  void lateElementsDroppedBySparkAreCounted(@TempDir Path checkpoints) {
    TestSparkPipelineOptions options = PipelineOptionsFactory.as(TestSparkPipelineOptions.class);
    options.setRunner(TestSparkRunner.class);
    options.setSparkMaster("local[2]");
    options.setStreaming(true);
    options.setBatchIntervalMillis(500L);
    options.setCheckpointDir(checkpoints.toString());
    options.setStopPipelineWatermark(T0.plus(Duration.standardHours(1)).getMillis());
    Pipeline pipeline = Pipeline.create(options);

    CreateStream<KV<String, Long>> stream = CreateStream.of(
            KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()), Duration.millis(500))
        // Spark's groupings take the low watermark, the previous batch's high one, and a batch sees
        // the advance called before the one before it: empty batches let the watermark get there.
        .advanceWatermarkForNextBatch(T0)
        .emptyBatch()
        .nextBatch(at("a", 10), at("b", 20), at("a", 70))
        .advanceWatermarkForNextBatch(T0.plus(Duration.standardMinutes(2)))
        // [10:00, 10:01) is late but kept (lateness 2 minutes, until 10:03).
        .nextBatch(at("a", 30), at("b", 40))
        .advanceWatermarkForNextBatch(T0.plus(Duration.standardMinutes(4)))
        .emptyBatch()
        .advanceWatermarkForNextBatch(T0.plus(Duration.standardMinutes(4)).plus(Duration.millis(1)))
        .emptyBatch()
        .advanceWatermarkForNextBatch(T0.plus(Duration.standardMinutes(4)).plus(Duration.millis(2)))
        // [10:00, 10:01) and [10:01, 10:02) are past their lateness: 3 dropped; [10:03, 10:04) is on time.
        .nextBatch(at("a", 5), at("b", 15), at("b", 61), at("a", 200))
        .advanceNextBatchWatermarkToInfinity();
    pipeline.apply(stream)
        .apply(Window.<KV<String, Long>>into(FixedWindows.of(Duration.standardMinutes(1)))
            .withAllowedLateness(Duration.standardMinutes(2))
            .accumulatingFiredPanes())
        .apply(Sum.longsPerKey());
    CountLateDrops.addTo(pipeline);

    PipelineResult result = pipeline.run();
    long dropped = 0;
    for (MetricResult<Long> counter : result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (counter.getName().getName().equalsIgnoreCase(Accounting.DROPPED_DUE_TO_LATENESS)) {
        dropped += counter.getAttempted();
      }
    }
    assertThat(dropped).as("late elements dropped and counted").isEqualTo(3);
  }
}
