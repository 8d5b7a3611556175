package dev.millrace.transforms.sensor;

import dev.millrace.model.Accounting;
import dev.millrace.transforms.runners.RunnerCapabilities;
import dev.millrace.transforms.runners.SweepOnWatermarkTicks;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
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
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Geofence transitions per key in event time: the input holds, per reading, its time and whether it is
 * inside the key's safe zone. A reading outside when the previous one (in event time) was inside, or
 * when it is the key's first, is a {@link #LEFT}; the next reading inside after that is a {@link
 * #RETURNED}; no new LEFT until then. Emits (key, (time, kind)) per transition.
 *
 * <p>Exact whatever the arrival order: a bounded input is grouped per key and swept in time order; an
 * unbounded one is buffered per key and swept as the watermark passes each reading (an event-time
 * timer, or {@link #withWatermarkTicks() a watermark tick} where the runner has no such timers). A reading older than one already swept arrived behind the watermark: it cannot change a
 * transition given, and is counted as {@code geofence_late_readings}.
 */
public final class GeofenceTransitions
    extends PTransform<PCollection<KV<String, KV<Long, Boolean>>>, PCollection<KV<String, KV<Long, String>>>> {
  public static final String LEFT = "left_safe_zone";
  public static final String RETURNED = "returned_home";
  public static final String LATE_READINGS = "geofence_late_readings";

  private final boolean watermarkTicks;

  private GeofenceTransitions(boolean watermarkTicks) {
    this.watermarkTicks = watermarkTicks;
  }

  /** Input: (key, (event time millis, inside)); output: (key, (event time millis, LEFT or RETURNED)). */
  public static GeofenceTransitions create() {
    return new GeofenceTransitions(false);
  }

  /**
   * Sweeps unbounded input on watermark ticks instead of event-time timers, on every runner; chosen
   * anyway where the runner has no such timers (Spark streaming, see {@link RunnerCapabilities}).
   * The transitions are the same.
   */
  public GeofenceTransitions withWatermarkTicks() {
    return new GeofenceTransitions(true);
  }

  @Override
  public PCollection<KV<String, KV<Long, String>>> expand(PCollection<KV<String, KV<Long, Boolean>>> readings) {
    KvCoder<String, KV<Long, Boolean>> inputCoder =
        KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), BooleanCoder.of()));
    KvCoder<String, KV<Long, String>> coder =
        KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()));
    PCollection<KV<String, KV<Long, Boolean>>> global = readings
        .apply("IntoGlobalWindow", ConsecutiveWindowRuns.<KV<String, KV<Long, Boolean>>>globalWindow())
        .setCoder(inputCoder);
    if (readings.isBounded() == PCollection.IsBounded.BOUNDED) {
      return global
          .apply("GroupByKey", GroupByKey.create())
          .apply("SweepInOrder", ParDo.of(new SweepFn()))
          .setCoder(coder);
    }
    if (!watermarkTicks && RunnerCapabilities.eventTimeTimers(readings)) {
      return global.apply("SweepAsWatermarkPasses", ParDo.of(new StreamingSweepFn())).setCoder(coder);
    }
    return global.apply("SweepOnWatermarkTicks",
        SweepOnWatermarkTicks.of(new TransitionSweep(), KvCoder.of(VarLongCoder.of(), BooleanCoder.of()),
            coder.getValueCoder()));
  }

  /** The transition rule as a sweep on watermark ticks; a key's state is (newest reading swept, outside). */
  static final class TransitionSweep
      implements SweepOnWatermarkTicks.Sweep<KV<Long, Boolean>, KV<Long, Boolean>, KV<Long, String>> {
    private final Counter late = Accounting.counter(LATE_READINGS);

    @Override
    public long dueAt(KV<Long, Boolean> reading, Instant timestamp) {
      return reading.getKey();
    }

    @Override
    public boolean accepts(@Nullable KV<Long, Boolean> state, KV<Long, Boolean> reading) {
      if (state != null && reading.getKey() < state.getKey()) {
        late.inc();
        return false;
      }
      return true;
    }

    @Override
    public KV<Long, Boolean> sweep(String key, @Nullable KV<Long, Boolean> state, List<KV<Long, Boolean>> due,
        long now, Consumer<KV<Long, String>> out) {
      List<KV<Long, Boolean>> readings = new ArrayList<>(due);
      readings.sort((a, b) -> Long.compare(a.getKey(), b.getKey()));
      Boolean outside = state == null ? null : state.getValue();
      Long newest = state == null ? null : state.getKey();
      for (KV<Long, Boolean> r : readings) {
        String transition = step(outside, r.getValue());
        if (transition != null) {
          out.accept(KV.of(r.getKey(), transition));
        }
        outside = !r.getValue();
        newest = r.getKey();
      }
      return newest == null ? state : KV.of(newest, outside);
    }
  }

  /** The transition rule: null before the first reading, then whether the key is outside. */
  static String step(Boolean outside, boolean inside) {
    if (!inside && (outside == null || !outside)) {
      return LEFT;
    }
    if (inside && outside != null && outside) {
      return RETURNED;
    }
    return null;
  }

  static final class SweepFn extends DoFn<KV<String, Iterable<KV<Long, Boolean>>>, KV<String, KV<Long, String>>> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<KV<Long, Boolean>>> group,
        OutputReceiver<KV<String, KV<Long, String>>> out) {
      List<KV<Long, Boolean>> readings = new ArrayList<>();
      group.getValue().forEach(readings::add);
      readings.sort((a, b) -> Long.compare(a.getKey(), b.getKey()));
      Boolean outside = null;
      for (KV<Long, Boolean> r : readings) {
        String transition = step(outside, r.getValue());
        if (transition != null) {
          out.output(KV.of(group.getKey(), KV.of(r.getKey(), transition)));
        }
        outside = !r.getValue();
      }
    }
  }

  static final class StreamingSweepFn extends DoFn<KV<String, KV<Long, Boolean>>, KV<String, KV<Long, String>>> {
    private final Counter late = Accounting.counter(LATE_READINGS);

    @StateId("pending")
    private final StateSpec<BagState<KV<Long, Boolean>>> pendingSpec =
        StateSpecs.bag(KvCoder.of(VarLongCoder.of(), BooleanCoder.of()));

    @StateId("outside")
    private final StateSpec<ValueState<Boolean>> outsideSpec = StateSpecs.value(BooleanCoder.of());

    @StateId("last")
    private final StateSpec<ValueState<Long>> lastSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("sweepAt")
    private final StateSpec<ValueState<Long>> sweepAtSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("sweep")
    private final TimerSpec sweepSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @ProcessElement
    public void process(@Element KV<String, KV<Long, Boolean>> reading,
        @StateId("pending") BagState<KV<Long, Boolean>> pending, @AlwaysFetched @StateId("last") ValueState<Long> last,
        @AlwaysFetched @StateId("sweepAt") ValueState<Long> sweepAt, @TimerId("sweep") Timer sweep) {
      long t = reading.getValue().getKey();
      Long swept = last.read();
      if (swept != null && t < swept) {
        late.inc();
        return;
      }
      pending.add(reading.getValue());
      Long at = sweepAt.read();
      if (at == null || t < at) {
        sweepAt.write(t);
        sweep.set(new Instant(t));
      }
    }

    @OnTimer("sweep")
    public void onSweep(@Timestamp Instant firedAt, @Key String key,
        @StateId("pending") BagState<KV<Long, Boolean>> pending,
        @AlwaysFetched @StateId("outside") ValueState<Boolean> outsideState,
        @AlwaysFetched @StateId("last") ValueState<Long> last,
        @AlwaysFetched @StateId("sweepAt") ValueState<Long> sweepAt, @TimerId("sweep") Timer sweep,
        OutputReceiver<KV<String, KV<Long, String>>> out) {
      long now = firedAt.getMillis();
      List<KV<Long, Boolean>> due = new ArrayList<>();
      List<KV<Long, Boolean>> later = new ArrayList<>();
      for (KV<Long, Boolean> r : pending.read()) {
        (r.getKey() <= now ? due : later).add(r);
      }
      due.sort((a, b) -> Long.compare(a.getKey(), b.getKey()));
      Boolean outside = outsideState.read();
      Long newest = last.read();
      for (KV<Long, Boolean> r : due) {
        String transition = step(outside, r.getValue());
        if (transition != null) {
          out.output(KV.of(key, KV.of(r.getKey(), transition)));
        }
        outside = !r.getValue();
        newest = r.getKey();
      }
      if (outside != null) {
        outsideState.write(outside);
      }
      if (newest != null) {
        last.write(newest);
      }
      pending.clear();
      long next = Long.MAX_VALUE;
      for (KV<Long, Boolean> r : later) {
        pending.add(r);
        next = Math.min(next, r.getKey());
      }
      if (next == Long.MAX_VALUE) {
        sweepAt.clear();
      } else {
        sweepAt.write(next);
        sweep.set(new Instant(next));
      }
    }
  }
}
