package dev.millrace.transforms.dedup;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.model.Accounting;
import dev.millrace.model.BundleCounter;
import dev.millrace.transforms.runners.RunnerCapabilities;
import dev.millrace.transforms.runners.WatermarkTicks;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.join.UnionCoder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Drops every element whose id was already seen within a horizon of event time; the first
 * occurrence to arrive wins. Works in batch and streaming, on every runner.
 *
 * <p>Ids are spread over a fixed number of shards (keys), each holding a compact table from id
 * fingerprint to the time its entry expires (first occurrence's event time + horizon; {@link
 * IdExpiries}). One event-time timer per shard, aligned to a tenth of the horizon, removes expired
 * ids once the watermark passes them, so memory is bounded by the ids seen within about one horizon.
 * A bounded input keeps its ids to its end (about 40 bytes an id): its watermark stands still until
 * then, and removing them step by step at the end only cost time.
 * The default {@link #DEFAULT_SHARDS} become a few on the DirectRunner, where each key is a bundle of
 * its own downstream ({@link RunnerCapabilities#keysForParallelism}); {@link #withShards} is kept as given.
 * Sharding rather than keying by id matters: a key per id means a timer per id, which some runners
 * (the DirectRunner above all) handle very slowly. Apply it before windowing.
 *
 * <p>A copy whose own event time is past its first occurrence's event time + horizon is a new
 * occurrence, wherever the watermark is, so the verdict does not depend on when a runner advances it.
 *
 * <p>On a runner without event-time timers for unbounded input (Beam's Spark runner, see {@link
 * RunnerCapabilities#eventTimeTimers}) the same contract is kept without timers: the input is also
 * counted in fixed windows of the cleanup step, each such count fires when the watermark passes its
 * window, and that pane, sent to every shard as a tick, removes the ids that expired by then. An id
 * is never removed sooner than with the timer (only later, when a step has no data). {@link
 * #withWatermarkTicks()} chooses that way on any runner. See {@link WatermarkTicks}.
 *
 * <pre>{@code
 * PCollection<ClickEvent> unique =
 *     events.apply("DeduplicateEvents",
 *         DeduplicateById.of(ClickEvent::getEventId).withHorizon(Duration.standardMinutes(10)));
 * }</pre>
 */
public final class DeduplicateById<T> extends PTransform<PCollection<T>, PCollection<T>> {
  public static final Duration DEFAULT_HORIZON = Duration.standardMinutes(10);
  public static final int DEFAULT_SHARDS = 32;

  private final SerializableFunction<T, String> idFn;
  private final Duration horizon;
  private final int shards;
  private final boolean watermarkTicks;

  /** {@link #shards} when no number was given: {@link #DEFAULT_SHARDS}, fewer on the DirectRunner. */
  private static final int SHARDS_FOR_THE_RUNNER = 0;

  private DeduplicateById(
      SerializableFunction<T, String> idFn, Duration horizon, int shards, boolean watermarkTicks) {
    this.idFn = idFn;
    this.horizon = horizon;
    this.shards = shards;
    this.watermarkTicks = watermarkTicks;
  }

  /** De-duplicates by the id {@code idFn} extracts, within {@link #DEFAULT_HORIZON}. */
  public static <T> DeduplicateById<T> of(SerializableFunction<T, String> idFn) {
    checkArgument(idFn != null, "idFn must not be null");
    return new DeduplicateById<>(idFn, DEFAULT_HORIZON, SHARDS_FOR_THE_RUNNER, false);
  }

  /** How long, in event time after an id's first occurrence, later copies count as duplicates. */
  public DeduplicateById<T> withHorizon(Duration horizon) {
    checkArgument(
        horizon != null && horizon.isLongerThan(Duration.ZERO),
        "horizon must be a positive duration, but was: %s",
        horizon);
    return new DeduplicateById<>(idFn, horizon, shards, watermarkTicks);
  }

  /** The number of keys the ids are spread over: the most parallelism this step can use. */
  public DeduplicateById<T> withShards(int shards) {
    checkArgument(shards > 0, "shards must be > 0, but was: %s", shards);
    return new DeduplicateById<>(idFn, horizon, shards, watermarkTicks);
  }

  /**
   * Removes expired ids on watermark ticks rather than event-time timers, on every runner (it is
   * chosen anyway where the runner lacks those timers).
   */
  public DeduplicateById<T> withWatermarkTicks() {
    return new DeduplicateById<>(idFn, horizon, shards, true);
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    Coder<T> coder = input.getCoder();
    int shards = this.shards != SHARDS_FOR_THE_RUNNER ? this.shards
        : RunnerCapabilities.keysForParallelism(input.getPipeline().getOptions(), DEFAULT_SHARDS);
    // The id is not sent with the element: it is in the element, and read again after the shuffle
    // (an id string encoded, sent and decoded per record for nothing).
    PCollection<KV<Integer, T>> keyed =
        input
            .apply("KeyByIdShard", ParDo.of(new KeyByShardFn<>(idFn, shards)))
            .setCoder(KvCoder.of(VarIntCoder.of(), coder));
    if (!watermarkTicks && RunnerCapabilities.eventTimeTimers(input)) {
      // A bounded input's ids all go at its end anyway: removing them step by step then (each step a
      // rebuild of the table, and on the DirectRunner a copy of it) was a third of a 1M-event run.
      boolean removesExpiredIds = input.isBounded() == PCollection.IsBounded.UNBOUNDED;
      return keyed.apply("DropDuplicates", ParDo.of(new FirstOccurrenceFn<T>(idFn, horizon, removesExpiredIds)))
          .setCoder(coder);
    }
    Coder<KV<Integer, RawUnionValue>> unionCoder =
        KvCoder.of(VarIntCoder.of(), UnionCoder.of(List.of(coder, InstantCoder.of())));
    PCollection<KV<Integer, RawUnionValue>> ticks =
        input
            .apply(WatermarkTicks.NAME, WatermarkTicks.<T>of(cleanupStep(horizon), shards, TICK, unionCoder));
    PCollection<KV<Integer, RawUnionValue>> ids =
        keyed.apply("AsIdEntries", ParDo.of(new WatermarkTicks.TagFn<T>(ID))).setCoder(unionCoder);
    return PCollectionList.of(ids)
        .and(ticks)
        .apply("IdsAndTicks", Flatten.pCollections())
        .apply("DropDuplicates", ParDo.of(new FirstOccurrenceOnTicksFn<T>(idFn, horizon)))
        .setCoder(coder);
  }

  private static final int ID = 0;
  private static final int TICK = 1;

  /** A tenth of the horizon: expired ids go at most this long after the watermark passes them. */
  static Duration cleanupStep(Duration horizon) {
    return Duration.millis(Math.max(1, horizon.getMillis() / 10));
  }

  /** Whether an id first seen with expiry {@code seenUntil} is still a duplicate at {@code timestamp}. */
  static boolean isCopy(@Nullable Instant seenUntil, Instant timestamp) {
    return seenUntil != null && !timestamp.isAfter(seenUntil);
  }

  static final class KeyByShardFn<T> extends DoFn<T, KV<Integer, T>> {
    private final SerializableFunction<T, String> idFn;
    private final int shards;

    KeyByShardFn(SerializableFunction<T, String> idFn, int shards) {
      this.idFn = idFn;
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<KV<Integer, T>> out) {
      out.output(KV.of(Math.floorMod(idFn.apply(element).hashCode(), shards), element));
    }
  }

  static final class FirstOccurrenceFn<T> extends DoFn<KV<Integer, T>, T> {
    private final SerializableFunction<T, String> idFn;
    private final Duration horizon;
    private final Duration cleanupStep;
    private final boolean removesExpiredIds;
    private final BundleCounter duplicates = BundleCounter.of(Accounting.DUPLICATES_DROPPED);
    private final BundleCounter unique = BundleCounter.of(Accounting.UNIQUE_RECORDS);

    @StateId("ids")
    private final StateSpec<ValueState<IdExpiries>> idsSpec = StateSpecs.value(IdExpiries.IdExpiriesCoder.of());

    @StateId("cleanupAt")
    private final StateSpec<ValueState<Instant>> cleanupAtSpec = StateSpecs.value(InstantCoder.of());

    @TimerId("cleanup")
    private final TimerSpec cleanupSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    FirstOccurrenceFn(SerializableFunction<T, String> idFn, Duration horizon, boolean removesExpiredIds) {
      this.idFn = idFn;
      this.horizon = horizon;
      this.cleanupStep = cleanupStep(horizon);
      this.removesExpiredIds = removesExpiredIds;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, T> element,
        @Timestamp Instant timestamp,
        BoundedWindow window,
        @AlwaysFetched @StateId("ids") ValueState<IdExpiries> ids,
        @AlwaysFetched @StateId("cleanupAt") ValueState<Instant> cleanupAt,
        @TimerId("cleanup") Timer cleanup,
        OutputReceiver<T> out) {
      String id = idFn.apply(element.getValue());
      IdExpiries held = held(ids);
      if (isCopy(held.expiryOf(id), timestamp)) {
        duplicates.inc();
        return;
      }
      Instant expiresAt = min(timestamp.plus(horizon), window.maxTimestamp());
      held.put(id, expiresAt);
      ids.write(held);
      if (removesExpiredIds) {
        schedule(alignUp(expiresAt, window), cleanupAt, cleanup);
      }
      unique.inc();
      out.output(element.getValue());
    }

    @OnTimer("cleanup")
    public void onCleanup(
        OnTimerContext context,
        BoundedWindow window,
        @AlwaysFetched @StateId("ids") ValueState<IdExpiries> ids,
        @AlwaysFetched @StateId("cleanupAt") ValueState<Instant> cleanupAt,
        @TimerId("cleanup") Timer cleanup) {
      // The time the timer was set for. Not @Timestamp: in @OnTimer that is the timer's output
      // timestamp, which withNoOutputTimestamp() puts at the end of time, and every id held, expired
      // or not, was removed at the shard's first cleanup.
      Instant firedAt = context.fireTimestamp();
      cleanupAt.clear();
      IdExpiries held = ids.read();
      Instant next = held == null ? null : held.removeExpiredUpTo(firedAt);
      if (next == null) {
        ids.clear();
      } else {
        ids.write(held);
        schedule(alignUp(next, window), cleanupAt, cleanup);
      }
    }

    @FinishBundle
    public void finishBundle() {
      duplicates.flush();
      unique.flush();
    }

    /** Keeps the shard's one timer at the earliest pending cleanup time. */
    private static void schedule(Instant at, ValueState<Instant> cleanupAt, Timer cleanup) {
      Instant current = cleanupAt.read();
      if (current == null || at.isBefore(current)) {
        cleanupAt.write(at);
        // No output timestamp: the timer only frees memory, and must not hold the watermark back
        // (a hold would delay every downstream window by the horizon).
        cleanup.withNoOutputTimestamp().set(at);
      }
    }

    /** Rounds up to the cleanup step, so a shard's timer fires at most ~10 times per horizon. */
    private Instant alignUp(Instant t, BoundedWindow window) {
      long step = cleanupStep.getMillis();
      long aligned = Math.floorDiv(t.getMillis() + step - 1, step) * step;
      return min(new Instant(aligned), window.maxTimestamp());
    }

  }

  /** The shard's ids, or a new empty table. */
  private static IdExpiries held(ValueState<IdExpiries> ids) {
    IdExpiries held = ids.read();
    return held == null ? new IdExpiries() : held;
  }

  private static Instant min(Instant a, @Nullable Instant b) {
    return b == null || a.isBefore(b) ? a : b;
  }

  /** {@link FirstOccurrenceFn}'s contract without timers: expired ids go when a tick passes them. */
  static final class FirstOccurrenceOnTicksFn<T> extends DoFn<KV<Integer, RawUnionValue>, T> {
    private final SerializableFunction<T, String> idFn;
    private final Duration horizon;
    private final BundleCounter duplicates = BundleCounter.of(Accounting.DUPLICATES_DROPPED);
    private final BundleCounter unique = BundleCounter.of(Accounting.UNIQUE_RECORDS);

    @StateId("ids")
    private final StateSpec<ValueState<IdExpiries>> idsSpec = StateSpecs.value(IdExpiries.IdExpiriesCoder.of());

    /** The earliest expiry held, so that most ticks need not read the table. */
    @StateId("earliest")
    private final StateSpec<ValueState<Instant>> earliestSpec = StateSpecs.value(InstantCoder.of());

    FirstOccurrenceOnTicksFn(SerializableFunction<T, String> idFn, Duration horizon) {
      this.idFn = idFn;
      this.horizon = horizon;
    }

    @ProcessElement
    @SuppressWarnings("unchecked")
    public void process(
        @Element KV<Integer, RawUnionValue> element,
        @Timestamp Instant timestamp,
        BoundedWindow window,
        @AlwaysFetched @StateId("ids") ValueState<IdExpiries> ids,
        @AlwaysFetched @StateId("earliest") ValueState<Instant> earliest,
        OutputReceiver<T> out) {
      RawUnionValue value = element.getValue();
      if (value.getUnionTag() == TICK) {
        removeExpired((Instant) value.getValue(), ids, earliest);
        return;
      }
      T entry = (T) value.getValue();
      String id = idFn.apply(entry);
      IdExpiries held = held(ids);
      if (isCopy(held.expiryOf(id), timestamp)) {
        duplicates.inc();
        return;
      }
      Instant expiresAt = min(timestamp.plus(horizon), window.maxTimestamp());
      held.put(id, expiresAt);
      ids.write(held);
      earliest.write(min(expiresAt, earliest.read()));
      unique.inc();
      out.output(entry);
    }

    @FinishBundle
    public void finishBundle() {
      duplicates.flush();
      unique.flush();
    }

    private static void removeExpired(Instant passed, ValueState<IdExpiries> ids, ValueState<Instant> earliest) {
      Instant first = earliest.read();
      if (first == null || first.isAfter(passed)) {
        return;
      }
      IdExpiries held = ids.read();
      Instant next = held == null ? null : held.removeExpiredUpTo(passed);
      if (next == null) {
        ids.clear();
        earliest.clear();
      } else {
        ids.write(held);
        earliest.write(next);
      }
    }
  }
}
