package dev.millrace.transforms.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.BeamPipelineExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeamPipelineExtension.class)
class PreCombinePerKeyTest {
  static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

  /**
   * 500 values of 7 keys over 4 one-minute windows, spread over many bundles (a reshuffle; on the
   * DirectRunner nearly a bundle per value, which is also what makes more values slow here).
   */
  static PCollection<KV<String, Long>> windowedValues(TestPipeline p, List<KV<String, Long>> expectedSums) {
    List<TimestampedValue<KV<String, Long>>> values = new ArrayList<>();
    Map<String, Long> sums = new TreeMap<>();
    for (long i = 0; i < 500; i++) {
      String key = "k" + (i * 31 % 7);
      Instant at = START.plus(Duration.millis(i * 1_997 % 240_000));
      values.add(TimestampedValue.of(KV.of(key, i), at));
      long window = at.getMillis() / 60_000 * 60_000;
      sums.merge(key + "@" + window, i, Long::sum);
    }
    sums.forEach((k, v) -> expectedSums.add(KV.of(k, v)));
    return p.apply(Create.timestamped(values).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
        .apply(Reshuffle.viaRandomKey())
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
  }

  /** Each output as "key@window start" and its value. */
  static PCollection<KV<String, Long>> withWindows(String name, PCollection<KV<String, Long>> sums) {
    return sums.apply(name, ParDo.of(new DoFn<KV<String, Long>, KV<String, Long>>() {
      @ProcessElement
      public void process(@Element KV<String, Long> sum, IntervalWindow window, OutputReceiver<KV<String, Long>> out) {
        out.output(KV.of(sum.getKey() + "@" + window.start().getMillis(), sum.getValue()));
      }
    }));
  }

  @Test
  void boundedInputOnTheDirectRunnerIsCombinedWithinBundlesWithTheSameResult(TestPipeline p) {
    List<KV<String, Long>> expected = new ArrayList<>();
    PCollection<KV<String, Long>> input = windowedValues(p, expected);
    assertThat(PreCombinePerKey.appliesTo(input)).isTrue();

    PCollection<KV<String, Long>> sums = PreCombinePerKey.apply(input, "SumPerKey", Sum.ofLongs());
    PAssert.that(withWindows("PreCombinedWithWindows", sums)).containsInAnyOrder(expected);
    // The same numbers as Combine.perKey gives, one output per key and window.
    PAssert.that(withWindows("PlainWithWindows", input.apply("Plain", Combine.perKey(Sum.ofLongs())))).containsInAnyOrder(expected);
    p.run();
  }

  @Test
  void theBundleCombineIsAStepOfItsOwnOnlyWhereItApplies(TestPipeline p) {
    PCollection<KV<String, Long>> bounded = windowedValues(p, new ArrayList<>());
    PreCombinePerKey.apply(bounded, "SumPerKey", Sum.ofLongs());

    PCollection<KV<String, Long>> unbounded = p.apply(TestStream.create(
            KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .addElements(TimestampedValue.of(KV.of("a", 1L), START))
        .advanceWatermarkToInfinity())
        .apply("Window", Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    assertThat(PreCombinePerKey.appliesTo(unbounded)).as("unbounded: the runner counts late values").isFalse();
    PAssert.that(PreCombinePerKey.apply(unbounded, "SumUnbounded", Sum.ofLongs())).containsInAnyOrder(KV.of("a", 1L));

    PCollection<KV<String, Long>> sessions = bounded.apply("Sessions",
        Window.into(Sessions.withGapDuration(Duration.standardMinutes(1))));
    assertThat(PreCombinePerKey.appliesTo(sessions)).as("merging windows").isFalse();

    List<String> steps = new ArrayList<>();
    p.traverseTopologically(new org.apache.beam.sdk.Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(org.apache.beam.sdk.runners.TransformHierarchy.Node node) {
        steps.add(node.getFullName());
        return CompositeBehavior.ENTER_TRANSFORM;
      }
    });
    assertThat(steps).contains("SumPerKey/CombineWithinBundles", "SumPerKey/MergeBundles")
        .doesNotContain("SumUnbounded/CombineWithinBundles")
        .contains("SumUnbounded/Combine.GroupedValues");
    p.run();
  }

  @Test
  void theMergeStepCombinesAccumulatorsWithTheFunctionsOwnMerge(TestPipeline p) {
    // Mean: its accumulator (sum, count) is not its output, so a merge that added outputs would be wrong.
    PCollection<KV<String, Long>> input = p.apply(Create.timestamped(
            TimestampedValue.of(KV.of("a", 1L), START), TimestampedValue.of(KV.of("a", 2L), START),
            TimestampedValue.of(KV.of("a", 6L), START.plus(Duration.standardSeconds(1))))
        .withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
        .apply(Reshuffle.viaRandomKey())
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    PCollection<KV<String, Double>> means =
        PreCombinePerKey.apply(input, "Mean", org.apache.beam.sdk.transforms.Mean.<Long>of());
    PAssert.that(means.apply(MapElements.into(TypeDescriptors.strings()).via(kv -> kv.getKey() + "=" + kv.getValue())))
        .containsInAnyOrder("a=3.0");
    p.run();
  }
  @Test
  void unboundedInputOnSparkIsCombinedWithinBundlesAndItsLateValuesCountedOnTheValues() {
    org.apache.beam.sdk.options.PipelineOptions options = org.apache.beam.sdk.options.PipelineOptionsFactory.create();
    options.setRunner(dev.millrace.testing.StandInRunners.StandInSparkRunner.class);
    org.apache.beam.sdk.Pipeline pipeline = org.apache.beam.sdk.Pipeline.create(options);
    PCollection<KV<String, Long>> unbounded = pipeline.apply(TestStream.create(
            KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .addElements(TimestampedValue.of(KV.of("a", 1L), START))
        .advanceWatermarkToInfinity())
        .apply("Window", Window.<KV<String, Long>>into(FixedWindows.of(Duration.standardMinutes(1)))
            .withAllowedLateness(Duration.standardMinutes(5)).accumulatingFiredPanes());
    assertThat(PreCombinePerKey.appliesTo(unbounded)).as("Spark streaming does not lift combiners").isTrue();
    PreCombinePerKey.apply(unbounded, "SumPerKey", Sum.ofLongs());
    dev.millrace.transforms.runners.CountLateDrops.addToEveryGrouping(pipeline);

    List<String> steps = new ArrayList<>();
    pipeline.traverseTopologically(new org.apache.beam.sdk.Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitPrimitiveTransform(org.apache.beam.sdk.runners.TransformHierarchy.Node node) {
        steps.add(node.getFullName());
      }
    });
    // One twin, on the values; the grouping of the accumulators is left as it is (no twin of its own).
    assertThat(steps).contains("SumPerKey/CombineWithinBundles/ParMultiDo(CombineWithinBundle)")
        .contains("SumPerKey/LateDropsTwin/CountIn/ParMultiDo(CountIn)")
        .contains("SumPerKey/MergeBundles/GroupByKey")
        .noneMatch(step -> step.startsWith("SumPerKey/MergeBundles/") && step.contains("LateDropsTwin"));
  }
}
