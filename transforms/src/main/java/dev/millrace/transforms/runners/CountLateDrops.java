package dev.millrace.transforms.runners;

import dev.millrace.model.Accounting;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.runners.PTransformOverride;
import org.apache.beam.sdk.runners.PTransformOverrideFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.util.construction.PTransformReplacements;
import org.apache.beam.sdk.util.construction.ReplacementOutputs;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;

/**
 * Counts the elements a runner drops as too late, where the runner does not: Beam's Spark runner in
 * streaming (2.70) drops an element behind the allowed lateness at a {@code GroupByKey} and counts
 * it in a metrics cell of its own that no metric query sees, so a run summary read "dropped as too
 * late 0" with records gone (measured: 20 late clicks dropped on Spark, 20 counted on Flink, 0
 * reported on Spark).
 *
 * <p>How: every {@code GroupByKey} of unbounded input that can drop late data is replaced by itself
 * plus a twin beside it: the same input, in the same windows with the same allowed lateness, into a
 * second {@code GroupByKey} that fires each new element once (discarding panes). An element counts +1 per window as it
 * enters the twin and -1 per window the twin emits it in; what stays counted is what the twin dropped. Both
 * groupings decide on the same rule (window end + allowed lateness behind the watermark) in the same
 * micro-batch against the same watermark, so they drop the same elements. The counter has the
 * runner's name ({@value Accounting#DROPPED_DUE_TO_LATENESS}, matched ignoring case), so the run
 * summary sums it as it sums Flink's; between micro-batches it can include the elements of a batch
 * still in flight.
 */
public final class CountLateDrops {
  /** The original grouping inside a replaced {@code GroupByKey}, left alone by the matcher. */
  static final String GROUPING = "GroupByKeyCountingLateDrops";

  /** The twin beside it; its own grouping is left alone too. */
  static final String TWIN = "LateDropsTwin";

  private CountLateDrops() {}

  /**
   * Whether the runner drops late data without counting it: Spark (in streaming; a batch run has
   * no unbounded input, and only groupings of unbounded input get twins).
   */
  public static boolean needed(PipelineOptions options) {
    return RunnerCapabilities.isSpark(options);
  }

  /** Adds the twins to every {@code GroupByKey} of unbounded input in {@code pipeline}, when {@link #needed}. */
  public static void addTo(Pipeline pipeline) {
    if (needed(pipeline.getOptions())) {
      addToEveryGrouping(pipeline);
    }
  }

  /**
   * A twin on {@code values} themselves, for a grouping that gets them combined: the grouping judges
   * each bundle's accumulator in the values' window and micro-batch, so the values' twin drops the
   * values it drops. That grouping must be applied under a step named {@value #COUNTED_ON_ITS_VALUES}.
   */
  public static <K, V> void countOn(PCollection<KV<K, V>> values) {
    values.apply(TWIN, new Twin<>());
  }

  /** The step name of a grouping whose drops a twin on its values counts ({@link #countOn}). */
  public static final String COUNTED_ON_ITS_VALUES = "MergeBundles";

  /** Adds the twins whatever the runner (tests compare them with a runner that counts itself). */
  public static void addToEveryGrouping(Pipeline pipeline) {
    pipeline.replaceAll(List.of(PTransformOverride.of(
        application -> application.getTransform() instanceof GroupByKey
            && !application.getFullName().endsWith("/" + GROUPING)
            && !application.getFullName().contains("/" + TWIN + "/")
            && !application.getFullName().contains("/" + COUNTED_ON_ITS_VALUES + "/")
            && mayDropLateData(application),
        new Replacement<>())));
  }

  /**
   * Unbounded input in windows that end before the end of time with a finite allowed lateness: the
   * global window and the groupings inside Beam's own transforms (Reshuffle, WriteFiles: their
   * input's windows kept with an unlimited lateness) never drop anything.
   */
  private static boolean mayDropLateData(AppliedPTransform<?, ?, ?> application) {
    return application.getMainInputs().values().stream().anyMatch(input -> {
      WindowingStrategy<?, ?> strategy = input.getWindowingStrategy();
      return input.isBounded() == PCollection.IsBounded.UNBOUNDED
          && !(strategy.getWindowFn() instanceof GlobalWindows)
          && strategy.getAllowedLateness().isShorterThan(UNLIMITED);
    });
  }

  /** Lateness this long is Beam's "keep everything" (Reshuffle's is the whole range of timestamps). */
  private static final Duration UNLIMITED = Duration.standardDays(365L * 1000);

  private static final class Replacement<K, V>
      implements PTransformOverrideFactory<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>, GroupByKey<K, V>> {
    @Override
    public PTransformReplacement<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>> getReplacementTransform(
        AppliedPTransform<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>, GroupByKey<K, V>> transform) {
      return PTransformReplacement.of(PTransformReplacements.getSingletonMainInput(transform),
          new GroupByKeyWithTwin<>(transform.getTransform()));
    }

    @Override
    public Map<PCollection<?>, ReplacementOutput> mapOutputs(
        Map<TupleTag<?>, PCollection<?>> outputs, PCollection<KV<K, Iterable<V>>> newOutput) {
      return ReplacementOutputs.singleton(outputs, newOutput);
    }
  }

  /** The original {@code GroupByKey}, and its twin beside it on the same input. */
  static final class GroupByKeyWithTwin<K, V>
      extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>> {
    private final GroupByKey<K, V> grouping;

    GroupByKeyWithTwin(GroupByKey<K, V> grouping) {
      this.grouping = grouping;
    }

    @Override
    public PCollection<KV<K, Iterable<V>>> expand(PCollection<KV<K, V>> input) {
      input.apply(TWIN, new Twin<>());
      return input.apply(GROUPING, grouping);
    }
  }

  /** Counts in, groups as the original does (windows, allowed lateness), counts out. */
  static final class Twin<K, V> extends PTransform<PCollection<KV<K, V>>, PCollection<Void>> {
    @Override
    public PCollection<Void> expand(PCollection<KV<K, V>> input) {
      WindowingStrategy<?, ?> strategy = input.getWindowingStrategy();
      return input
          .apply("CountIn", ParDo.of(new CountInFn<K, V>()))
          .setCoder(KvCoder.of(VarIntCoder.of(), VarLongCoder.of()))
          // The windows and allowed lateness stay; each element fires once, so the emitted ones
          // are the accepted ones. Set directly: Window.configure() refuses Beam's internal windows.
          .setWindowingStrategyInternal(strategy
              .withTrigger(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
              .withMode(WindowingStrategy.AccumulationMode.DISCARDING_FIRED_PANES))
          .apply("GroupByKey", GroupByKey.create())
          .apply("CountOut", ParDo.of(new CountOutFn()));
    }
  }

  /**
   * +1 per element and window; keyed by a few shards of the original key (the key does not change the
   * verdict). The window parameter makes the runner call this once per window of an element (sliding
   * windows put it in several), as runners judge and count each window of an element on its own.
   */
  static final class CountInFn<K, V> extends DoFn<KV<K, V>, KV<Integer, Long>> {
    private final Counter late = Accounting.counter(Accounting.DROPPED_DUE_TO_LATENESS);

    @ProcessElement
    public void process(@Element KV<K, V> element, BoundedWindow window, OutputReceiver<KV<Integer, Long>> out) {
      late.inc();
      out.output(KV.of(Math.floorMod(Objects.hashCode(element.getKey()), 8), 1L));
    }
  }

  /** -1 per element and window the twin emitted: it was not dropped. */
  static final class CountOutFn extends DoFn<KV<Integer, Iterable<Long>>, Void> {
    private final Counter late = Accounting.counter(Accounting.DROPPED_DUE_TO_LATENESS);

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Long>> accepted) {
      long n = 0;
      for (long one : accepted.getValue()) {
        n += one;
      }
      late.dec(n);
    }
  }
}
