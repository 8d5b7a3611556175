package dev.millrace.transforms.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.Accounting;
import dev.millrace.testing.BeamPipelineExtension;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The twins count what the runner drops as too late: on the DirectRunner, which counts its own
 * drops, the twins' count (namespace millrace) equals the runner's, for fixed windows with early and
 * late firings, for session windows and for sliding windows (a count per element and window), and the groupings' output is what it was without them.
 */
@ExtendWith(BeamPipelineExtension.class)
class CountLateDropsTest {
  static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  static TimestampedValue<KV<String, Long>> at(String key, int seconds) {
    return TimestampedValue.of(KV.of(key, 1L), T0.plus(Duration.standardSeconds(seconds)));
  }

  /** Two keys; windows of a minute, 2 minutes of lateness; 3 elements kept late, 4 dropped. */
  static TestStream<KV<String, Long>> lateData() {
    return TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .advanceWatermarkTo(T0)
        .addElements(at("a", 10), at("a", 20), at("b", 30), at("b", 70))
        .advanceWatermarkTo(T0.plus(Duration.standardMinutes(2)))
        // [10:00, 10:01) is late but kept until 10:03; [10:01, 10:02) is on time.
        .addElements(at("a", 40), at("b", 50), at("a", 90))
        .advanceWatermarkTo(T0.plus(Duration.standardMinutes(3).plus(Duration.standardSeconds(30))))
        // [10:00, 10:01) is past its lateness: dropped; [10:01, 10:02) still kept, until 10:04.
        .addElements(at("a", 5), at("b", 15), at("b", 65))
        .advanceWatermarkTo(T0.plus(Duration.standardMinutes(5)))
        .addElements(at("a", 61), at("b", 119))
        .advanceWatermarkToInfinity();
  }

  /** Dropped elements: the runner's count at the original groupings, and the twins' (namespace millrace). */
  static Map<String, Long> droppedByNamespace(PipelineResult result) {
    Map<String, Long> dropped = new TreeMap<>();
    for (MetricResult<Long> counter : result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (counter.getName().getName().equalsIgnoreCase(Accounting.DROPPED_DUE_TO_LATENESS)) {
        if (!counter.getName().getNamespace().equals(Accounting.NAMESPACE)
            && counter.getKey().stepName().contains("/" + CountLateDrops.TWIN + "/")) {
          continue; // the runner's count in the twin's own grouping (the same drops again)
        }
        String namespace = counter.getName().getNamespace().equals(Accounting.NAMESPACE) ? "twins" : "runner";
        dropped.merge(namespace, counter.getAttempted(), Long::sum);
      }
    }
    return dropped;
  }

  @Test
  void theTwinsCountWhatTheRunnerDropsInFixedWindowsWithFirings(TestPipeline p) {
    PCollection<KV<String, Long>> sums = p.apply(lateData())
        .apply(Window.<KV<String, Long>>into(FixedWindows.of(Duration.standardMinutes(1)))
            .triggering(AfterWatermark.pastEndOfWindow()
                .withEarlyFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(Duration.standardSeconds(5)))
                .withLateFirings(AfterProcessingTime.pastFirstElementInPane()))
            .withAllowedLateness(Duration.standardMinutes(2))
            .accumulatingFiredPanes())
        .apply(Sum.longsPerKey());
    CountLateDrops.addToEveryGrouping(p);

    // The windows' final panes are what they are without the twins: 4 elements dropped, 3 kept late.
    PAssert.that(sums).inFinalPane(new IntervalWindow(T0, Duration.standardMinutes(1)))
        .containsInAnyOrder(KV.of("a", 3L), KV.of("b", 2L));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(droppedByNamespace(result)).containsEntry("runner", 4L).containsEntry("twins", 4L);
  }

  @Test
  void theTwinsCountWhatTheRunnerDropsInSessions(TestPipeline p) {
    p.apply(lateData())
        .apply(Window.<KV<String, Long>>into(Sessions.withGapDuration(Duration.standardSeconds(30)))
            .withAllowedLateness(Duration.standardMinutes(1))
            .accumulatingFiredPanes())
        .apply(Sum.longsPerKey());
    CountLateDrops.addToEveryGrouping(p);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Map<String, Long> dropped = droppedByNamespace(result);
    assertThat(dropped.get("runner")).isPositive();
    assertThat(dropped.get("twins")).isEqualTo(dropped.get("runner"));
  }

  /**
   * An element in several windows is dropped (or kept) once per window, and the runner counts each:
   * so do the twins (a count per element read "dropped -52,227" for 10 sliding windows on Spark).
   */
  @Test
  void theTwinsCountEachWindowOfAnElementInSlidingWindows(TestPipeline p) {
    p.apply(lateData())
        .apply(Window.<KV<String, Long>>into(
                SlidingWindows.of(Duration.standardMinutes(1)).every(Duration.standardSeconds(20)))
            .withAllowedLateness(Duration.standardSeconds(30))
            .accumulatingFiredPanes())
        // A plain grouping: the DirectRunner replaces a combine in sliding windows whole (lifted), twin and all.
        .apply(GroupByKey.create());
    CountLateDrops.addToEveryGrouping(p);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Map<String, Long> dropped = droppedByNamespace(result);
    assertThat(dropped.get("runner")).as("some of an element's windows dropped, not all").isGreaterThan(4);
    assertThat(dropped.get("twins")).isEqualTo(dropped.get("runner"));
  }

  @Test
  void onlySparkRunsAndUnboundedGroupingsGetTwins() {
    StreamingOptions direct = PipelineOptionsFactory.fromArgs("--streaming=true").as(StreamingOptions.class);
    assertThat(CountLateDrops.needed(direct)).as("the DirectRunner counts its own drops").isFalse();

    Pipeline bounded = Pipeline.create();
    bounded.apply(Create.of(KV.of("a", 1L), KV.of("a", 2L))).apply(Sum.longsPerKey());
    CountLateDrops.addToEveryGrouping(bounded);
    StringBuilder names = new StringBuilder();
    bounded.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(org.apache.beam.sdk.runners.TransformHierarchy.Node node) {
        names.append(node.getFullName()).append('\n');
        return CompositeBehavior.ENTER_TRANSFORM;
      }
    });
    assertThat(names.toString()).doesNotContain(CountLateDrops.TWIN);
  }
}
