package dev.millrace.transforms.aggregate;

import dev.millrace.transforms.runners.CountLateDrops;
import dev.millrace.transforms.runners.RunnerCapabilities;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code Combine.perKey(fn)}, with the values of each key and window first combined within each
 * bundle, for bounded input on every runner and unbounded input on Spark.
 *
 * <p>Why: the DirectRunner does not lift combiners. Its {@code Combine.perKey} keeps every value of a
 * (key, window) in a bag and copies the whole bag through its coder on every bundle that touches it,
 * so a window's cost grows with the square of its values (a quarter of the demo's CPU was those
 * copies). Combined per bundle, the bag holds one accumulator per bundle instead: the demo (100k
 * events) 35.5 -> 32 s and 1.64 -> 1.06 GB peak RSS; log-analytics on a 10,000-line access log
 * 40.5 -> 35.9 s. Flink lifts combiners, but by sorting every value (encoded, with its key and window)
 * before it combines them; a bundle there is a task's whole input, so combined per bundle there is
 * one accumulator per (key, window) of the task: campaign-analytics, 1.1M records, CPU 62-68 -> 56-62 s
 * (with {@link dev.millrace.transforms.reference.NewestTablePerBundle}'s cache by window).
 *
 * <p>Elsewhere this is {@code Combine.perKey(fn)} itself, under the same step name: on unbounded
 * input the DirectRunner and Flink would drop (and count) an accumulator of several late values as one. Only for non-merging windows, as a bundle's
 * accumulator is emitted in its values' window; the panes are those of the window's trigger, counted
 * in accumulators rather than values by an element-count trigger (ours fire on the watermark and on
 * processing time).
 */
public final class PreCombinePerKey<K, InputT, AccumT, OutputT>
    extends PTransform<PCollection<KV<K, InputT>>, PCollection<KV<K, OutputT>>> {
  private final CombineFn<InputT, AccumT, OutputT> fn;

  private PreCombinePerKey(CombineFn<InputT, AccumT, OutputT> fn) {
    this.fn = fn;
  }

  public static <K, InputT, AccumT, OutputT> PreCombinePerKey<K, InputT, AccumT, OutputT> of(
      CombineFn<InputT, AccumT, OutputT> fn) {
    return new PreCombinePerKey<>(fn);
  }

  /**
   * Whether {@code input} gets the combine within bundles: in non-merging windows, bounded on every
   * runner (see above), or unbounded on Spark. Spark streaming
   * does not lift them either: its grouping keeps a (key, window)'s values in one bag that it decodes
   * and re-encodes whole for every value added (70% of a 5,235-record Kinesis run's CPU on {@code
   * local[2]}). There a bundle is a micro-batch's partition, so its accumulators reach the grouping in
   * the micro-batch of their values and are judged late or not as those values would be: all by the
   * window's end against that batch's watermark. What Spark drops is counted by a twin of the
   * grouping on the values themselves ({@link CountLateDrops}), not on the accumulators.
   */
  public static boolean appliesTo(PCollection<?> input) {
    if (input.getWindowingStrategy().needsMerge()) {
      return false;
    }
    PipelineOptions options = input.getPipeline().getOptions();
    return input.isBounded() == PCollection.IsBounded.BOUNDED || RunnerCapabilities.isSpark(options);
  }

  /**
   * Applies {@code Combine.perKey(fn)} as step {@code name}, combined within bundles first where
   * {@link #appliesTo} says so; elsewhere the step is exactly {@code Combine.perKey(fn)}, so step
   * names (and the state a Flink savepoint keeps under them) do not change.
   */
  public static <K, InputT, AccumT, OutputT> PCollection<KV<K, OutputT>> apply(
      PCollection<KV<K, InputT>> input, String name, CombineFn<InputT, AccumT, OutputT> fn) {
    return appliesTo(input)
        ? input.apply(name, PreCombinePerKey.of(fn))
        : input.apply(name, Combine.perKey(fn));
  }

  /**
   * {@code Combine.globally(fn).withoutDefaults()} as step {@code name}: one output per window and
   * pane, none for an empty window; combined within bundles first where {@link #appliesTo} says so
   * (a single key: every value of a window in one bag, the worst case for the DirectRunner; on Flink a
   * sort of every value whole, 12% of fraud-detection's CPU on 1M transactions).
   */
  public static <InputT, AccumT, OutputT> PCollection<OutputT> applyGlobally(
      PCollection<InputT> input, String name, CombineFn<InputT, AccumT, OutputT> fn) {
    return appliesTo(input)
        ? input.apply(name, new Globally<>(fn))
        : input.apply(name, Combine.globally(fn).withoutDefaults());
  }

  /** The global combine on one key, combined within bundles. */
  static final class Globally<InputT, AccumT, OutputT> extends PTransform<PCollection<InputT>, PCollection<OutputT>> {
    private final CombineFn<InputT, AccumT, OutputT> fn;

    Globally(CombineFn<InputT, AccumT, OutputT> fn) {
      this.fn = fn;
    }

    @Override
    public PCollection<OutputT> expand(PCollection<InputT> input) {
      return input
          .apply("WithOneKey", WithKeys.<Void, InputT>of((Void) null))
          .setCoder(KvCoder.of(VoidCoder.of(), input.getCoder()))
          .apply("CombinePerKey", PreCombinePerKey.of(fn))
          .apply("Values", Values.create());
    }
  }

  @Override
  public PCollection<KV<K, OutputT>> expand(PCollection<KV<K, InputT>> input) {
    KvCoder<K, InputT> inputCoder = (KvCoder<K, InputT>) input.getCoder();
    Pipeline pipeline = input.getPipeline();
    Coder<AccumT> accumulatorCoder;
    Coder<OutputT> outputCoder;
    try {
      accumulatorCoder = fn.getAccumulatorCoder(pipeline.getCoderRegistry(), inputCoder.getValueCoder());
      outputCoder = fn.getDefaultOutputCoder(pipeline.getCoderRegistry(), inputCoder.getValueCoder());
    } catch (CannotProvideCoderException e) {
      throw new IllegalStateException("no coder for the accumulators or output of " + fn, e);
    }
    if (input.isBounded() == PCollection.IsBounded.UNBOUNDED && CountLateDrops.needed(pipeline.getOptions())) {
      CountLateDrops.countOn(input);
    }
    return input
        .apply("CombineWithinBundles", ParDo.of(new CombineWithinBundleFn<>(fn, inputCoder.getKeyCoder())))
        .setCoder(KvCoder.of(inputCoder.getKeyCoder(), accumulatorCoder))
        .apply(CountLateDrops.COUNTED_ON_ITS_VALUES, Combine.perKey(new MergeAccumulatorsFn<>(fn, accumulatorCoder, outputCoder)))
        .setCoder(KvCoder.of(inputCoder.getKeyCoder(), outputCoder));
  }

  /** One accumulator per key and window of a bundle, emitted in that window when the bundle ends. */
  static final class CombineWithinBundleFn<K, InputT, AccumT> extends DoFn<KV<K, InputT>, KV<K, AccumT>> {
    private final CombineFn<InputT, AccumT, ?> fn;
    private final Coder<K> keyCoder;
    private transient Map<List<Object>, Partial<K, AccumT>> partials;

    CombineWithinBundleFn(CombineFn<InputT, AccumT, ?> fn, Coder<K> keyCoder) {
      this.fn = fn;
      this.keyCoder = keyCoder;
    }

    private record Partial<K, AccumT>(K key, BoundedWindow window, AccumT accumulator) {}

    @StartBundle
    public void startBundle() {
      partials = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<K, InputT> element, BoundedWindow window) {
      // The key's structural value: keys compare as their encodings do, as the GroupByKey compares them.
      List<Object> id = List.of(keyCoder.structuralValue(element.getKey()), window);
      Partial<K, AccumT> partial = partials.get(id);
      AccumT accumulator = partial == null ? fn.createAccumulator() : partial.accumulator();
      partials.put(id, new Partial<>(element.getKey(), window, fn.addInput(accumulator, element.getValue())));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (Partial<K, AccumT> partial : partials.values()) {
        // Any time in the window will do: the grouped value takes the end of the window.
        context.output(KV.of(partial.key(), partial.accumulator()), partial.window().maxTimestamp(), partial.window());
      }
      partials = null;
    }
  }

  /** {@code fn} over its own accumulators: adding one merges it. */
  static final class MergeAccumulatorsFn<AccumT, OutputT> extends CombineFn<AccumT, AccumT, OutputT> {
    private final CombineFn<?, AccumT, OutputT> fn;
    private final Coder<AccumT> accumulatorCoder;
    private final Coder<OutputT> outputCoder;

    MergeAccumulatorsFn(CombineFn<?, AccumT, OutputT> fn, Coder<AccumT> accumulatorCoder, Coder<OutputT> outputCoder) {
      this.fn = fn;
      this.accumulatorCoder = accumulatorCoder;
      this.outputCoder = outputCoder;
    }

    @Override
    public AccumT createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public AccumT addInput(AccumT accumulator, AccumT input) {
      return fn.mergeAccumulators(List.of(accumulator, input));
    }

    @Override
    public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
      return fn.mergeAccumulators(accumulators);
    }

    @Override
    public OutputT extractOutput(AccumT accumulator) {
      return fn.extractOutput(accumulator);
    }

    @Override
    public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<AccumT> inputCoder) {
      return accumulatorCoder;
    }

    @Override
    public Coder<OutputT> getDefaultOutputCoder(CoderRegistry registry, Coder<AccumT> inputCoder) {
      return outputCoder;
    }
  }
}
