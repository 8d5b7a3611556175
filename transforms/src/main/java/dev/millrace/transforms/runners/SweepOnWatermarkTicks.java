package dev.millrace.transforms.runners;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.join.UnionCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A per-key sweep in event-time order, for runners without event-time timers (Beam's Spark runner
 * in streaming): what a stateful step would do on an event-time timer at T, it does on a {@link
 * WatermarkTicks watermark tick} at T. Keys are spread over {@value #SHARDS} shards; per shard, the
 * values not yet swept (each with the time the watermark must pass first) and each key's sweep
 * state. On a tick at T (the watermark has passed T), each key's due values are handed to the
 * {@link Sweep} with T, as are the keys that asked to be woken by T though nothing new came for
 * them. A value the key's state says is behind what it swept is not kept (it arrived late).
 *
 * <p>Ticks come only for event time that has data: a key waiting for a time with no data anywhere
 * waits for the next data or, {@link #withEndOfInputTick() if asked}, for the end of the input.
 * Input in the global window, with the default trigger; outputs carry the tick's time.
 */
public final class SweepOnWatermarkTicks<V, S, O>
    extends PTransform<PCollection<KV<String, V>>, PCollection<KV<String, O>>> {
  static final int SHARDS = 64;
  private static final int VALUE = 0;
  private static final int TICK = 1;

  /** The rule a step applies, key by key, as the watermark passes. */
  public interface Sweep<V, S, O> extends Serializable {
    /** The time the watermark must pass before {@code value} is due; by default its timestamp. */
    default long dueAt(V value, Instant timestamp) {
      return timestamp.getMillis();
    }

    /** False for a value behind what the key has swept already (it cannot change a verdict given). */
    boolean accepts(@Nullable S state, V value);

    /**
     * Sweeps a key's due values (in no particular order) with the watermark past {@code now};
     * returns its new state, or null to forget the key.
     */
    @Nullable S sweep(String key, @Nullable S state, List<V> due, long now, Consumer<O> out);

    /** When the key must be swept though nothing new came for it; {@link Long#MAX_VALUE} for never. */
    default long wakeAt(S state) {
      return Long.MAX_VALUE;
    }
  }

  private final Sweep<V, S, O> sweep;
  private final Coder<S> stateCoder;
  private final Coder<O> outputCoder;
  private final Duration step;
  private final boolean endOfInputTick;

  private SweepOnWatermarkTicks(Sweep<V, S, O> sweep, Coder<S> stateCoder, Coder<O> outputCoder, Duration step,
      boolean endOfInputTick) {
    this.sweep = sweep;
    this.stateCoder = stateCoder;
    this.outputCoder = outputCoder;
    this.step = step;
    this.endOfInputTick = endOfInputTick;
  }

  /** Sweeps with {@code sweep} on ticks every second of event time that has data. */
  public static <V, S, O> SweepOnWatermarkTicks<V, S, O> of(Sweep<V, S, O> sweep, Coder<S> stateCoder,
      Coder<O> outputCoder) {
    return new SweepOnWatermarkTicks<>(sweep, stateCoder, outputCoder, Duration.standardSeconds(1), false);
  }

  /** Also sweeps once the input has ended (the watermark at the end of time), for keys still waiting. */
  public SweepOnWatermarkTicks<V, S, O> withEndOfInputTick() {
    return new SweepOnWatermarkTicks<>(sweep, stateCoder, outputCoder, step, true);
  }

  @Override
  public PCollection<KV<String, O>> expand(PCollection<KV<String, V>> input) {
    Coder<V> valueCoder = ((KvCoder<String, V>) input.getCoder()).getValueCoder();
    Coder<KV<Integer, RawUnionValue>> unionCoder = KvCoder.of(VarIntCoder.of(),
        UnionCoder.of(List.of(KvCoder.of(StringUtf8Coder.of(), valueCoder), InstantCoder.of())));
    WatermarkTicks<KV<String, V>> watermarkTicks = WatermarkTicks.of(step, SHARDS, TICK, unionCoder);
    PCollection<KV<Integer, RawUnionValue>> ticks =
        input.apply(WatermarkTicks.NAME, endOfInputTick ? watermarkTicks.withEndOfInputTick() : watermarkTicks);
    PCollection<KV<Integer, RawUnionValue>> values = input
        .apply("ShardByKey", ParDo.of(new ShardFn<V>()))
        .setCoder(unionCoder);
    return PCollectionList.of(values).and(ticks)
        .apply("ValuesAndTicks", Flatten.pCollections())
        .apply("SweepOnTicks", ParDo.of(new SweepFn<>(sweep, valueCoder, stateCoder)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), outputCoder));
  }

  static final class ShardFn<V> extends DoFn<KV<String, V>, KV<Integer, RawUnionValue>> {
    @ProcessElement
    public void process(@Element KV<String, V> element, OutputReceiver<KV<Integer, RawUnionValue>> out) {
      out.output(KV.of(Math.floorMod(element.getKey().hashCode(), SHARDS), new RawUnionValue(VALUE, element)));
    }
  }

  static final class SweepFn<V, S, O> extends DoFn<KV<Integer, RawUnionValue>, KV<String, O>> {
    private final Sweep<V, S, O> sweep;

    /**
     * Values not swept yet, (due at, (key, value)), encoded one after another. Not a BagState: Beam's
     * Spark runner decodes and encodes a whole bag again on every add, so a shard's bag cost the square
     * of its values per micro-batch (a fifth of a predictive-maintenance run's CPU); an append here
     * copies bytes.
     */
    @StateId("pending")
    private final StateSpec<ValueState<byte[]>> pendingSpec = StateSpecs.value(ByteArrayCoder.of());

    private final Coder<KV<Long, KV<String, V>>> pendingCoder;

    /** Each key's sweep state. */
    @StateId("keys")
    private final StateSpec<MapState<String, S>> keysSpec;

    /** The earliest time some key asked to be woken at (or earlier: it is only a lower bound). */
    @StateId("wakeAt")
    private final StateSpec<ValueState<Long>> wakeAtSpec = StateSpecs.value(VarLongCoder.of());

    /** The latest tick handled. */
    @StateId("sweptUpTo")
    private final StateSpec<ValueState<Long>> sweptUpToSpec = StateSpecs.value(VarLongCoder.of());

    SweepFn(Sweep<V, S, O> sweep, Coder<V> valueCoder, Coder<S> stateCoder) {
      this.sweep = sweep;
      this.pendingCoder = KvCoder.of(VarLongCoder.of(), KvCoder.of(StringUtf8Coder.of(), valueCoder));
      this.keysSpec = StateSpecs.map(StringUtf8Coder.of(), stateCoder);
    }

    @ProcessElement
    @SuppressWarnings("unchecked")
    public void process(@Element KV<Integer, RawUnionValue> element, @Timestamp Instant timestamp,
        @StateId("pending") ValueState<byte[]> pending,
        @StateId("keys") MapState<String, S> keys,
        @StateId("wakeAt") ValueState<Long> wakeAt,
        @StateId("sweptUpTo") ValueState<Long> sweptUpTo,
        OutputReceiver<KV<String, O>> out) throws IOException {
      if (element.getValue().getUnionTag() == VALUE) {
        KV<String, V> value = (KV<String, V>) element.getValue().getValue();
        if (sweep.accepts(keys.get(value.getKey()).read(), value.getValue())) {
          byte[] before = pending.read();
          ByteArrayOutputStream bytes = new ByteArrayOutputStream((before == null ? 0 : before.length) + 128);
          if (before != null) {
            bytes.writeBytes(before);
          }
          pendingCoder.encode(KV.of(sweep.dueAt(value.getValue(), timestamp), value), bytes);
          pending.write(bytes.toByteArray());
        }
        return;
      }
      long now = ((Instant) element.getValue().getValue()).getMillis();
      Long swept = sweptUpTo.read();
      if (swept != null && now <= swept) {
        return;
      }
      sweptUpTo.write(now);
      Map<String, List<V>> due = new HashMap<>();
      ByteArrayOutputStream later = new ByteArrayOutputStream();
      byte[] waiting = pending.read();
      ByteArrayInputStream in = new ByteArrayInputStream(waiting == null ? new byte[0] : waiting);
      while (in.available() > 0) {
        KV<Long, KV<String, V>> value = pendingCoder.decode(in);
        if (value.getKey() <= now) {
          due.computeIfAbsent(value.getValue().getKey(), k -> new ArrayList<>()).add(value.getValue().getValue());
        } else {
          pendingCoder.encode(value, later);
        }
      }
      Long wake = wakeAt.read();
      boolean wakeAll = wake != null && wake <= now;
      Set<String> toSweep = new LinkedHashSet<>(due.keySet());
      if (wakeAll) {
        for (Map.Entry<String, S> entry : keys.entries().read()) {
          if (sweep.wakeAt(entry.getValue()) <= now) {
            toSweep.add(entry.getKey());
          }
        }
      }
      long nextWake = wakeAll || wake == null ? Long.MAX_VALUE : wake;
      for (String key : toSweep) {
        S next = sweep.sweep(key, keys.get(key).read(), due.getOrDefault(key, List.of()), now,
            o -> out.output(KV.of(key, o)));
        if (next == null) {
          keys.remove(key);
        } else {
          keys.put(key, next);
          nextWake = Math.min(nextWake, sweep.wakeAt(next));
        }
      }
      if (wakeAll) {
        // Keys not swept now keep their own wake-up times.
        for (Map.Entry<String, S> entry : keys.entries().read()) {
          if (!toSweep.contains(entry.getKey())) {
            nextWake = Math.min(nextWake, sweep.wakeAt(entry.getValue()));
          }
        }
      }
      if (nextWake == Long.MAX_VALUE) {
        wakeAt.clear();
      } else {
        wakeAt.write(nextWake);
      }
      if (!due.isEmpty()) {
        if (later.size() == 0) {
          pending.clear();
        } else {
          pending.write(later.toByteArray());
        }
      }
    }
  }
}
