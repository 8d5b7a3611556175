package dev.millrace.transforms.sensor;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.transforms.runners.RunnerCapabilities;
import dev.millrace.transforms.runners.SweepOnWatermarkTicks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Runs of consecutive windows per key: the input holds, per key, the windows that meet a condition
 * (each with its window start); windows whose starts are one {@code period} apart form a run, and a
 * missing window (one that did not meet the condition, or had no readings) ends it. Emits the window
 * at which a run reaches {@code length}: once per run ({@code length} 1 = at each run's first window).
 *
 * <p>Exact in event time whatever the arrival order: a bounded input is grouped per key and swept in
 * window order; an unbounded one is buffered per key and swept as the watermark passes each window
 * (an event-time timer, or {@link #withWatermarkTicks() a watermark tick} where the runner has no
 * such timers), so windows are seen in start order. A pane of a window already swept (a late
 * correction) does not change the verdict.
 */
public final class ConsecutiveWindowRuns<V> extends PTransform<PCollection<KV<String, V>>, PCollection<KV<String, V>>> {
  private final SerializableFunction<V, Instant> windowStart;
  private final Duration period;
  private final int length;
  private final boolean watermarkTicks;

  private ConsecutiveWindowRuns(SerializableFunction<V, Instant> windowStart, Duration period, int length,
      boolean watermarkTicks) {
    this.windowStart = windowStart;
    this.period = period;
    this.length = length;
    this.watermarkTicks = watermarkTicks;
  }

  /** Windows {@code period} apart; a run alerts when it is {@code length} windows long. */
  public static <V> ConsecutiveWindowRuns<V> of(SerializableFunction<V, Instant> windowStart, Duration period,
      int length) {
    checkArgument(period.isLongerThan(Duration.ZERO), "period must be positive, but was %s", period);
    checkArgument(length >= 1, "length must be >= 1, but was %s", length);
    return new ConsecutiveWindowRuns<>(windowStart, period, length, false);
  }

  /**
   * Sweeps unbounded input on watermark ticks instead of event-time timers, on every runner; chosen
   * anyway where the runner has no such timers (Spark streaming, see {@link RunnerCapabilities}).
   * The verdicts are the same.
   */
  public ConsecutiveWindowRuns<V> withWatermarkTicks() {
    return new ConsecutiveWindowRuns<>(windowStart, period, length, true);
  }

  @Override
  public PCollection<KV<String, V>> expand(PCollection<KV<String, V>> windows) {
    KvCoder<String, V> coder = (KvCoder<String, V>) windows.getCoder();
    PCollection<KV<String, V>> global = windows.apply("IntoGlobalWindow", globalWindow());
    if (windows.isBounded() == PCollection.IsBounded.BOUNDED) {
      return global
          .apply("GroupByKey", GroupByKey.create())
          .apply("SweepInOrder", ParDo.of(new SweepFn<>(windowStart, period, length)))
          .setCoder(coder);
    }
    if (!watermarkTicks && RunnerCapabilities.eventTimeTimers(windows)) {
      return global
          .apply("SweepAsWatermarkPasses",
              ParDo.of(new StreamingSweepFn<>(windowStart, period, length, coder.getValueCoder())))
          .setCoder(coder);
    }
    return global.apply("SweepOnWatermarkTicks",
        SweepOnWatermarkTicks.of(new RunsSweep<>(windowStart, period, length),
            KvCoder.of(VarLongCoder.of(), VarIntCoder.of()), coder.getValueCoder()));
  }

  /** The run rule as a sweep on watermark ticks; a key's state is (last window start swept, run so far). */
  static final class RunsSweep<V> implements SweepOnWatermarkTicks.Sweep<V, KV<Long, Integer>, V> {
    private final SerializableFunction<V, Instant> windowStart;
    private final long period;
    private final int length;

    RunsSweep(SerializableFunction<V, Instant> windowStart, Duration period, int length) {
      this.windowStart = windowStart;
      this.period = period.getMillis();
      this.length = length;
    }

    @Override
    public boolean accepts(@Nullable KV<Long, Integer> state, V window) {
      return state == null || windowStart.apply(window).getMillis() > state.getKey(); // Else a later pane of a swept window.
    }

    @Override
    public KV<Long, Integer> sweep(String key, @Nullable KV<Long, Integer> state, List<V> due, long now,
        Consumer<V> out) {
      RunTracker runs = state == null
          ? new RunTracker(period, length, Long.MIN_VALUE, 0)
          : new RunTracker(period, length, state.getKey(), state.getValue());
      runs.offerInOrder(new ArrayList<>(due), windowStart, out);
      return runs.lastStart == Long.MIN_VALUE ? state : KV.of(runs.lastStart, runs.run);
    }
  }

  /**
   * The global window with the default trigger: the input's own trigger (a windowed aggregate's late
   * firings) must not carry over to the sweep, nor to outputs flattened with others.
   */
  static <T> Window<T> globalWindow() {
    return Window.<T>into(new GlobalWindows())
        .triggering(DefaultTrigger.of())
        .withAllowedLateness(Duration.ZERO)
        .discardingFiredPanes();
  }

  /** The run rule, one window at a time in start order. */
  static final class RunTracker {
    private final long period;
    private final int length;
    long lastStart = Long.MIN_VALUE;
    int run;

    RunTracker(long period, int length, long lastStart, int run) {
      this.period = period;
      this.length = length;
      this.lastStart = lastStart;
      this.run = run;
    }

    /** Offers the windows in start order; each at which a run reaches the length goes to {@code alert}. */
    <V> void offerInOrder(List<V> windows, SerializableFunction<V, Instant> windowStart, Consumer<V> alert) {
      windows.sort(Comparator.comparing(windowStart::apply));
      for (V window : windows) {
        if (offer(windowStart.apply(window).getMillis())) {
          alert.accept(window);
        }
      }
    }

    /** Whether the run this window belongs to reaches the length at it. */
    boolean offer(long start) {
      if (start <= lastStart) {
        return false; // Seen already (a later pane of a swept window).
      }
      run = lastStart != Long.MIN_VALUE && start - lastStart == period ? run + 1 : 1;
      lastStart = start;
      return run == length;
    }
  }

  static final class SweepFn<V> extends DoFn<KV<String, Iterable<V>>, KV<String, V>> {
    private final SerializableFunction<V, Instant> windowStart;
    private final long period;
    private final int length;

    SweepFn(SerializableFunction<V, Instant> windowStart, Duration period, int length) {
      this.windowStart = windowStart;
      this.period = period.getMillis();
      this.length = length;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<V>> group, OutputReceiver<KV<String, V>> out) {
      List<V> windows = new ArrayList<>();
      group.getValue().forEach(windows::add);
      new RunTracker(period, length, Long.MIN_VALUE, 0)
          .offerInOrder(windows, windowStart, window -> out.output(KV.of(group.getKey(), window)));
    }
  }

  static final class StreamingSweepFn<V> extends DoFn<KV<String, V>, KV<String, V>> {
    private final SerializableFunction<V, Instant> windowStart;
    private final long period;
    private final int length;

    /** Windows not swept yet, with their element timestamps (the window's end). */
    @StateId("pending")
    private final StateSpec<BagState<KV<Long, V>>> pendingSpec;

    @StateId("lastStart")
    private final StateSpec<ValueState<Long>> lastStartSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("run")
    private final StateSpec<ValueState<Integer>> runSpec = StateSpecs.value(VarIntCoder.of());

    @StateId("sweepAt")
    private final StateSpec<ValueState<Instant>> sweepAtSpec = StateSpecs.value(InstantCoder.of());

    @TimerId("sweep")
    private final TimerSpec sweepSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    StreamingSweepFn(SerializableFunction<V, Instant> windowStart, Duration period, int length, Coder<V> coder) {
      this.windowStart = windowStart;
      this.period = period.getMillis();
      this.length = length;
      this.pendingSpec = StateSpecs.bag(KvCoder.of(VarLongCoder.of(), coder));
    }

    @ProcessElement
    public void process(@Element KV<String, V> element, @Timestamp Instant timestamp,
        @StateId("pending") BagState<KV<Long, V>> pending,
        @AlwaysFetched @StateId("lastStart") ValueState<Long> lastStart,
        @AlwaysFetched @StateId("sweepAt") ValueState<Instant> sweepAt, @TimerId("sweep") Timer sweep) {
      Long last = lastStart.read();
      if (last != null && windowStart.apply(element.getValue()).getMillis() <= last) {
        return; // A later pane of a window already swept.
      }
      pending.add(KV.of(timestamp.getMillis(), element.getValue()));
      Instant at = sweepAt.read();
      if (at == null || timestamp.isBefore(at)) {
        sweepAt.write(timestamp);
        sweep.set(timestamp);
      }
    }

    @OnTimer("sweep")
    public void onSweep(@Timestamp Instant firedAt, @Key String key,
        @StateId("pending") BagState<KV<Long, V>> pending,
        @AlwaysFetched @StateId("lastStart") ValueState<Long> lastStart,
        @AlwaysFetched @StateId("run") ValueState<Integer> run,
        @AlwaysFetched @StateId("sweepAt") ValueState<Instant> sweepAt, @TimerId("sweep") Timer sweep,
        OutputReceiver<KV<String, V>> out) {
      List<V> due = new ArrayList<>();
      List<KV<Long, V>> later = new ArrayList<>();
      // A window's pane carries its end as timestamp: once the watermark passes it, every window that
      // ends earlier is in, so the due ones can be swept in start order.
      for (KV<Long, V> window : pending.read()) {
        if (window.getKey() <= firedAt.getMillis()) {
          due.add(window.getValue());
        } else {
          later.add(window);
        }
      }
      Long last = lastStart.read();
      Integer current = run.read();
      RunTracker runs = new RunTracker(period, length, last == null ? Long.MIN_VALUE : last,
          current == null ? 0 : current);
      runs.offerInOrder(due, windowStart, window -> out.output(KV.of(key, window)));
      if (runs.lastStart != Long.MIN_VALUE) {
        lastStart.write(runs.lastStart);
        run.write(runs.run);
      }
      pending.clear();
      sweepAt.clear();
      Long next = null;
      for (KV<Long, V> window : later) {
        pending.add(window);
        next = next == null || window.getKey() < next ? window.getKey() : next;
      }
      if (next != null) {
        Instant at = new Instant(next);
        sweepAt.write(at);
        sweep.set(at);
      }
    }
  }
}
