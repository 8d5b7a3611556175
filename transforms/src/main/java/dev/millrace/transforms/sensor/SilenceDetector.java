package dev.millrace.transforms.sensor;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.model.Accounting;
import dev.millrace.transforms.runners.RunnerCapabilities;
import dev.millrace.transforms.runners.SweepOnWatermarkTicks;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.InstantCoder;
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
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Silences per key in event time: a key whose next reading comes more than {@code silence} after
 * its previous one, or that sends nothing more at all, is silent from its last reading. Emits (key,
 * time of the last reading before the silence) once per silence; the silence starts counting at that
 * time and is reported as of {@code last + silence}.
 *
 * <p>Input: (key, event time) per reading. Event time only, whatever the arrival order and speed:
 * a bounded input is grouped per key and its times swept in order (the end of input is a silence);
 * an unbounded one is buffered per key and swept as the watermark passes (an event-time timer at
 * the earliest waiting reading, and one at {@code last + silence + 1 ms}, which fires only if no
 * reading came by then: the watermark reaching it means none can still come on time). A reading
 * older than the newest one already swept arrived behind the watermark: it cannot change a verdict
 * given, and is counted as {@code silence_late_readings}.
 */
public final class SilenceDetector extends PTransform<PCollection<KV<String, Instant>>, PCollection<KV<String, Instant>>> {
  public static final String LATE_READINGS = "silence_late_readings";

  private final Duration silence;
  private final boolean watermarkTicks;

  private SilenceDetector(Duration silence, boolean watermarkTicks) {
    this.silence = silence;
    this.watermarkTicks = watermarkTicks;
  }

  /** Silent after more than {@code silence} without a reading. */
  public static SilenceDetector after(Duration silence) {
    checkArgument(silence != null && silence.isLongerThan(Duration.ZERO), "silence must be positive, but was %s",
        silence);
    return new SilenceDetector(silence, false);
  }

  /**
   * Sweeps unbounded input on watermark ticks instead of event-time timers, on every runner; chosen
   * anyway where the runner has no such timers (Spark streaming, see {@link RunnerCapabilities}).
   * A tick comes only for event time with data (any key's) and at the end of the input, so a
   * silence that no reading anywhere follows is reported at the next reading or at the end; the
   * verdicts are those of the timer way, except that a reading arriving late after such a
   * data-less stretch may still be taken as on time (see {@link SweepOnWatermarkTicks}).
   */
  public SilenceDetector withWatermarkTicks() {
    return new SilenceDetector(silence, true);
  }

  @Override
  public PCollection<KV<String, Instant>> expand(PCollection<KV<String, Instant>> readings) {
    KvCoder<String, Instant> coder = KvCoder.of(StringUtf8Coder.of(), InstantCoder.of());
    PCollection<KV<String, Instant>> global =
        readings.apply("IntoGlobalWindow", ConsecutiveWindowRuns.<KV<String, Instant>>globalWindow()).setCoder(coder);
    if (readings.isBounded() == PCollection.IsBounded.BOUNDED) {
      return global
          .apply("GroupByKey", GroupByKey.create())
          .apply("SweepInOrder", ParDo.of(new SweepFn(silence)))
          .setCoder(coder);
    }
    if (!watermarkTicks && RunnerCapabilities.eventTimeTimers(readings)) {
      return global.apply("SweepAsWatermarkPasses", ParDo.of(new StreamingSweepFn(silence))).setCoder(coder);
    }
    return global.apply("SweepOnWatermarkTicks",
        SweepOnWatermarkTicks.of(new SilenceSweep(silence), KvCoder.of(VarLongCoder.of(), VarLongCoder.of()),
            InstantCoder.of()).withEndOfInputTick());
  }

  /**
   * The silence rule as a sweep on watermark ticks; a key's state is (newest reading swept, the
   * reading whose silence was last reported, or {@link Long#MIN_VALUE}).
   */
  static final class SilenceSweep implements SweepOnWatermarkTicks.Sweep<Instant, KV<Long, Long>, Instant> {
    private final long silence;
    private final Counter late = Accounting.counter(LATE_READINGS);

    SilenceSweep(Duration silence) {
      this.silence = silence.getMillis();
    }

    @Override
    public long dueAt(Instant reading, Instant timestamp) {
      return reading.getMillis();
    }

    @Override
    public boolean accepts(@Nullable KV<Long, Long> state, Instant reading) {
      if (state == null || reading.getMillis() > state.getKey()) {
        return true;
      }
      if (reading.getMillis() < state.getKey()) {
        late.inc();
      }
      return false;
    }

    @Override
    public KV<Long, Long> sweep(String key, @Nullable KV<Long, Long> state, List<Instant> due, long now,
        Consumer<Instant> out) {
      List<Long> times = new ArrayList<>();
      due.forEach(t -> times.add(t.getMillis()));
      times.sort(null);
      Long newest = state == null ? null : state.getKey();
      long done = state == null ? Long.MIN_VALUE : state.getValue();
      for (long t : times) {
        if (newest != null && t - newest > silence && newest != done) {
          out.accept(new Instant(newest));
          done = newest;
        }
        newest = newest == null ? t : Math.max(newest, t);
      }
      // No reading up to now, and now is past last + silence: silent (nothing on time can come before).
      if (newest != null && now - newest > silence && newest != done) {
        out.accept(new Instant(newest));
        done = newest;
      }
      return newest == null ? null : KV.of(newest, done);
    }

    @Override
    public long wakeAt(KV<Long, Long> state) {
      return state.getKey().equals(state.getValue()) ? Long.MAX_VALUE : state.getKey() + silence + 1;
    }
  }

  static final class SweepFn extends DoFn<KV<String, Iterable<Instant>>, KV<String, Instant>> {
    private final long silence;

    SweepFn(Duration silence) {
      this.silence = silence.getMillis();
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Instant>> group, OutputReceiver<KV<String, Instant>> out) {
      List<Long> times = new ArrayList<>();
      group.getValue().forEach(t -> times.add(t.getMillis()));
      times.sort(null);
      long last = times.get(0);
      for (long t : times) {
        if (t - last > silence) {
          out.output(KV.of(group.getKey(), new Instant(last)));
        }
        last = t;
      }
      // The end of a bounded input is silence too.
      out.output(KV.of(group.getKey(), new Instant(last)));
    }
  }

  static final class StreamingSweepFn extends DoFn<KV<String, Instant>, KV<String, Instant>> {
    private final long silence;
    private final Counter late = Accounting.counter(LATE_READINGS);

    @StateId("pending")
    private final StateSpec<BagState<Long>> pendingSpec = StateSpecs.bag(VarLongCoder.of());

    /** The newest reading swept. */
    @StateId("last")
    private final StateSpec<ValueState<Long>> lastSpec = StateSpecs.value(VarLongCoder.of());

    /** The last reading whose silence was reported (so a reading after it does not report it again). */
    @StateId("reported")
    private final StateSpec<ValueState<Long>> reportedSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("sweepAt")
    private final StateSpec<ValueState<Long>> sweepAtSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("sweep")
    private final TimerSpec sweepSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    StreamingSweepFn(Duration silence) {
      this.silence = silence.getMillis();
    }

    @ProcessElement
    public void process(@Element KV<String, Instant> reading, @StateId("pending") BagState<Long> pending,
        @AlwaysFetched @StateId("last") ValueState<Long> last,
        @AlwaysFetched @StateId("sweepAt") ValueState<Long> sweepAt, @TimerId("sweep") Timer sweep) {
      long t = reading.getValue().getMillis();
      Long newest = last.read();
      if (newest != null && t <= newest) {
        if (t < newest) {
          late.inc();
        }
        return;
      }
      pending.add(t);
      Long at = sweepAt.read();
      if (at == null || t < at) {
        sweepAt.write(t);
        sweep.set(new Instant(t));
      }
    }

    @OnTimer("sweep")
    public void onSweep(@Timestamp Instant firedAt, @Key String key, @StateId("pending") BagState<Long> pending,
        @AlwaysFetched @StateId("last") ValueState<Long> last,
        @AlwaysFetched @StateId("reported") ValueState<Long> reported,
        @AlwaysFetched @StateId("sweepAt") ValueState<Long> sweepAt, @TimerId("sweep") Timer sweep,
        OutputReceiver<KV<String, Instant>> out) {
      long now = firedAt.getMillis();
      List<Long> due = new ArrayList<>();
      List<Long> later = new ArrayList<>();
      for (long t : pending.read()) {
        (t <= now ? due : later).add(t);
      }
      due.sort(null);
      Long newest = last.read();
      Long done = reported.read();
      for (long t : due) {
        if (newest != null && t - newest > silence && !newest.equals(done)) {
          out.output(KV.of(key, new Instant(newest)));
          done = newest;
        }
        newest = newest == null ? t : Math.max(newest, t);
      }
      // No reading up to now, and now is past last + silence: silent (nothing on time can come before).
      if (newest != null && now - newest > silence && !newest.equals(done)) {
        out.output(KV.of(key, new Instant(newest)));
        done = newest;
      }
      if (newest != null) {
        last.write(newest);
      }
      if (done != null) {
        reported.write(done);
      }
      pending.clear();
      long next = Long.MAX_VALUE;
      for (long t : later) {
        pending.add(t);
        next = Math.min(next, t);
      }
      if (newest != null && !newest.equals(done)) {
        next = Math.min(next, newest + silence + 1);
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
