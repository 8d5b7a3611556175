package dev.millrace.transforms.runners;

import dev.millrace.transforms.aggregate.PreCombinePerKey;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The watermark as data, for stateful steps on a runner without event-time timers (Beam's Spark
 * runner in streaming): the input is counted in fixed windows of {@code step}; each count fires
 * once the watermark has passed its window, and is sent to every one of {@code shards} keys as a
 * tick whose value (an {@link Instant}, under union tag {@code tag}) is the window's last
 * millisecond: a time the watermark has passed. A step flattens the ticks with its keyed input and
 * does on a tick what it would do on an event-time timer at that time.
 *
 * <p>Only steps with data tick; a step holding state for later has data in it, so its tick comes.
 * Elements already late as they enter are dropped by the windowing and counted by the runner as
 * dropped due to lateness under the step named {@value #NAME}; they are signals, not records (the
 * run summary leaves them out), and the same elements go on through the step that uses the ticks.
 */
public final class WatermarkTicks<T> extends PTransform<PCollection<T>, PCollection<KV<Integer, RawUnionValue>>> {
  /** The name to apply it under (the run summary recognizes it). */
  public static final String NAME = "WatermarkTicks";

  private final Duration step;
  private final int shards;
  private final int tag;
  private final Coder<KV<Integer, RawUnionValue>> coder;
  private final boolean endOfInputTick;

  private WatermarkTicks(
      Duration step, int shards, int tag, Coder<KV<Integer, RawUnionValue>> coder, boolean endOfInputTick) {
    this.step = step;
    this.shards = shards;
    this.tag = tag;
    this.coder = coder;
    this.endOfInputTick = endOfInputTick;
  }

  /** Ticks every {@code step} of event time that has data, to keys 0 .. shards-1, as {@code tag}. */
  public static <T> WatermarkTicks<T> of(
      Duration step, int shards, int tag, Coder<KV<Integer, RawUnionValue>> coder) {
    return new WatermarkTicks<>(step, shards, tag, coder, false);
  }

  /**
   * Also one tick when the input ends (the watermark at the end of time), at the global window's
   * last millisecond: for steps that must act on time passing with no data after it (a silence).
   * It counts the steps' counts in the global window, so it keeps one value per step of event time
   * until the end (on runners that do not lift the combine).
   */
  public WatermarkTicks<T> withEndOfInputTick() {
    return new WatermarkTicks<>(step, shards, tag, coder, true);
  }

  @Override
  public PCollection<KV<Integer, RawUnionValue>> expand(PCollection<T> input) {
    // Fire once, when the watermark passes a step: the input's own trigger (early firings of a
    // windowed aggregate) must not carry over, or a tick would claim a time the watermark has not passed.
    PCollection<T> windowed = input
        .apply("IntoSteps", Window.<T>into(FixedWindows.of(step))
            .triggering(DefaultTrigger.of()).withAllowedLateness(Duration.ZERO).discardingFiredPanes());
    // Combined within bundles first on Spark: its grouping would re-encode a step's whole bag of
    // input elements for each element added (70% of a Spark streaming run's CPU).
    PCollection<Long> counts = PreCombinePerKey.applyGlobally(windowed, "CountPerStep", Count.<T>combineFn());
    PCollection<KV<Integer, RawUnionValue>> ticks = counts
        .apply("TickEveryShard", ParDo.of(new TickEveryShardFn(shards, tag)))
        .setCoder(coder)
        .apply("IntoGlobalWindow", Window.<KV<Integer, RawUnionValue>>into(new GlobalWindows()));
    if (!endOfInputTick) {
      return ticks;
    }
    PCollection<KV<Integer, RawUnionValue>> endTick = counts
        // Fires once, when the watermark reaches the end of the global window: the end of the input.
        .apply("IntoOneWindow", Window.<Long>into(new GlobalWindows())
            .triggering(AfterWatermark.pastEndOfWindow()).withAllowedLateness(Duration.ZERO).discardingFiredPanes())
        .apply("CountSteps", Combine.globally(Count.<Long>combineFn()).withoutDefaults())
        .apply("TickAtTheEnd", ParDo.of(new TickEveryShardFn(shards, tag)))
        .setCoder(coder)
        .apply("WithTheTicksTrigger", Window.<KV<Integer, RawUnionValue>>into(new GlobalWindows())
            .triggering(DefaultTrigger.of()).withAllowedLateness(Duration.ZERO).discardingFiredPanes());
    return PCollectionList.of(ticks).and(endTick).apply("StepAndEndTicks", Flatten.pCollections());
  }

  /** Tags a keyed element as union member {@code tag}, to flatten it with the ticks. */
  public static final class TagFn<V> extends DoFn<KV<Integer, V>, KV<Integer, RawUnionValue>> {
    private final int tag;

    public TagFn(int tag) {
      this.tag = tag;
    }

    @ProcessElement
    public void process(@Element KV<Integer, V> element, OutputReceiver<KV<Integer, RawUnionValue>> out) {
      out.output(KV.of(element.getKey(), new RawUnionValue(tag, element.getValue())));
    }
  }

  static final class TickEveryShardFn extends DoFn<Long, KV<Integer, RawUnionValue>> {
    private final int shards;
    private final int tag;

    TickEveryShardFn(int shards, int tag) {
      this.shards = shards;
      this.tag = tag;
    }

    @ProcessElement
    public void process(BoundedWindow window, OutputReceiver<KV<Integer, RawUnionValue>> out) {
      // The pane fires once the watermark is past the window: its end is a time the watermark passed.
      for (int shard = 0; shard < shards; shard++) {
        out.output(KV.of(shard, new RawUnionValue(tag, window.maxTimestamp())));
      }
    }
  }
}
