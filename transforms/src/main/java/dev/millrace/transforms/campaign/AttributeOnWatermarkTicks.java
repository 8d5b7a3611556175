package dev.millrace.transforms.campaign;

import dev.millrace.transforms.runners.WatermarkTicks;
import dev.millrace.transforms.window.EmitsAtEventTimeFn;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
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
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * {@link AttributeClicks} and {@link AttributeConversions} for a runner without event-time timers
 * (Beam's Spark runner in streaming), on {@link WatermarkTicks watermark ticks}: the same rules, the
 * same rows. Both joins run in one step, because on such a runner nothing holds the watermark back
 * for a click the first join has yet to emit, and within a micro-batch the second join could take
 * the tick for a conversion before that click: in one step, a shard attributes its clicks up to a
 * tick before it looks at the conversions up to it.
 *
 * <p>Impressions and clicks go to the shard of their impression_id; each conversion goes to every
 * shard, which offers its last click among the attributed clicks it holds for that user (a partial);
 * a conversion is decided when all {@value #SHARDS} partials are in, whatever their order. Values
 * join their shard's state at the first tick after they arrive (as they would on arrival with
 * timers); what the timer versions do at a time T, a shard does on the first tick at or past T.
 */
final class AttributeOnWatermarkTicks extends PTransform<PCollection<Conversion>, PCollectionTuple> {
  static final int SHARDS = 64;
  static final TupleTag<KV<String, Partial>> PARTIALS = new TupleTag<>() {};

  private static final int IMPRESSION = 0;
  private static final int CLICK = 1;
  private static final int CONVERSION = 2;
  private static final int TICK = 3;

  private final PCollection<Impression> impressions;
  private final PCollection<AdClick> clicks;
  private final Duration clickWindow;
  private final Duration attributionWindow;
  private final Duration allowedLateness;

  AttributeOnWatermarkTicks(PCollection<Impression> impressions, PCollection<AdClick> clicks, Duration clickWindow,
      Duration attributionWindow, Duration allowedLateness) {
    this.impressions = impressions;
    this.clicks = clicks;
    this.clickWindow = clickWindow;
    this.attributionWindow = attributionWindow;
    this.allowedLateness = allowedLateness;
  }

  @Override
  public PCollectionTuple expand(PCollection<Conversion> conversions) {
    UnionCoder values = UnionCoder.of(List.of(AdEventCoders.ImpressionCoder.of(), AdEventCoders.AdClickCoder.of(),
        AdEventCoders.ConversionCoder.of(), InstantCoder.of()));
    Coder<KV<Integer, RawUnionValue>> coder = KvCoder.of(VarIntCoder.of(), values);
    PCollection<KV<Integer, RawUnionValue>> events = PCollectionList
        .of(impressions
            .apply("ShardImpressions", ParDo.of(new ShardFn<Impression>(IMPRESSION, Impression::impressionId)))
            .setCoder(coder))
        .and(clicks.apply("ShardClicks", ParDo.of(new ShardFn<AdClick>(CLICK, AdClick::impressionId))).setCoder(coder))
        .and(conversions.apply("ConversionsToEveryShard", ParDo.of(new EveryShardFn())).setCoder(coder))
        .apply("AdEvents", Flatten.pCollections());
    PCollection<KV<Integer, RawUnionValue>> ticks = events.apply(WatermarkTicks.NAME,
        WatermarkTicks.<KV<Integer, RawUnionValue>>of(Duration.standardSeconds(1), SHARDS, TICK, coder)
            .withEndOfInputTick());
    PCollectionTuple swept = PCollectionList.of(events).and(ticks)
        .apply("AdEventsAndTicks", Flatten.pCollections())
        .apply("AttributeOnTicks", ParDo.of(new ShardSweepFn(clickWindow, attributionWindow, allowedLateness,
                AttributionJoins.bounded(impressions) && AttributionJoins.bounded(clicks)))
            .withOutputTags(AttributeClicks.ATTRIBUTED, TupleTagList.of(AttributeClicks.ORPHANS).and(PARTIALS)));
    swept.get(AttributeClicks.ATTRIBUTED).setCoder(AdEventCoders.AttributedClickCoder.of());
    swept.get(PARTIALS).setCoder(KvCoder.of(StringUtf8Coder.of(), PartialCoder.INSTANCE));
    PCollection<Attribution> attributions =
        swept.get(PARTIALS).apply("LastClickOfEveryShard", ParDo.of(new MergePartialsFn()));
    swept.get(AttributeClicks.ORPHANS).setCoder(AdEventCoders.rowCoder(conversions.getPipeline(), OrphanClick.class));
    attributions.setCoder(AdEventCoders.rowCoder(conversions.getPipeline(), Attribution.class));
    return PCollectionTuple.of(AttributeClicks.ATTRIBUTED, swept.get(AttributeClicks.ATTRIBUTED))
        .and(AttributeClicks.ORPHANS, swept.get(AttributeClicks.ORPHANS))
        .and(AttributeClicksAndConversions.ATTRIBUTIONS, attributions);
  }

  /** A shard's last click for a conversion (null: none there). */
  record Partial(Conversion conversion, @Nullable AttributedClick click) {}

  static final class PartialCoder extends CustomCoder<Partial> {
    static final PartialCoder INSTANCE = new PartialCoder();
    private static final Coder<AttributedClick> CLICK_CODER = NullableCoder.of(AdEventCoders.AttributedClickCoder.of());

    @Override
    public void encode(Partial value, OutputStream out) throws IOException {
      AdEventCoders.ConversionCoder.of().encode(value.conversion(), out);
      CLICK_CODER.encode(value.click(), out);
    }

    @Override
    public Partial decode(InputStream in) throws IOException {
      return new Partial(AdEventCoders.ConversionCoder.of().decode(in), CLICK_CODER.decode(in));
    }
  }

  /** One impression's join: the impression (null: not seen, or forgotten), its attributed click, clicks waiting. */
  record Join(@Nullable Impression impression, @Nullable AdClick winner, List<AdClick> pending) {}

  static final class JoinCoder extends CustomCoder<Join> {
    static final JoinCoder INSTANCE = new JoinCoder();
    private static final Coder<Impression> IMPRESSION_CODER = NullableCoder.of(AdEventCoders.ImpressionCoder.of());
    private static final Coder<AdClick> WINNER_CODER = NullableCoder.of(AdEventCoders.AdClickCoder.of());
    private static final Coder<List<AdClick>> PENDING_CODER = ListCoder.of(AdEventCoders.AdClickCoder.of());

    @Override
    public void encode(Join value, OutputStream out) throws IOException {
      IMPRESSION_CODER.encode(value.impression(), out);
      WINNER_CODER.encode(value.winner(), out);
      PENDING_CODER.encode(value.pending(), out);
    }

    @Override
    public Join decode(InputStream in) throws IOException {
      return new Join(IMPRESSION_CODER.decode(in), WINNER_CODER.decode(in), PENDING_CODER.decode(in));
    }
  }

  static final class ShardFn<T> extends DoFn<T, KV<Integer, RawUnionValue>> {
    private final int tag;
    private final org.apache.beam.sdk.transforms.SerializableFunction<T, String> impressionId;

    ShardFn(int tag, org.apache.beam.sdk.transforms.SerializableFunction<T, String> impressionId) {
      this.tag = tag;
      this.impressionId = impressionId;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<KV<Integer, RawUnionValue>> out) {
      out.output(KV.of(Math.floorMod(impressionId.apply(element).hashCode(), SHARDS), new RawUnionValue(tag, element)));
    }
  }

  static final class EveryShardFn extends DoFn<Conversion, KV<Integer, RawUnionValue>> {
    @ProcessElement
    public void process(@Element Conversion conversion, OutputReceiver<KV<Integer, RawUnionValue>> out) {
      for (int shard = 0; shard < SHARDS; shard++) {
        out.output(KV.of(shard, new RawUnionValue(CONVERSION, conversion)));
      }
    }
  }

  static final class ShardSweepFn extends EmitsAtEventTimeFn<KV<Integer, RawUnionValue>, AttributedClick> {
    private static final Coder<RawUnionValue> ARRIVAL_CODER = UnionCoder.of(List.of(
        AdEventCoders.ImpressionCoder.of(), AdEventCoders.AdClickCoder.of(), AdEventCoders.ConversionCoder.of()));

    private final Duration clickWindow;
    private final Duration attributionWindow;
    private final Duration allowedLateness;
    private final boolean bounded;
    private final AttributeClicks.ClickOutcomes outcomes = new AttributeClicks.ClickOutcomes();
    /** The earliest prune time of the clicks attributed at the current tick. */
    private transient long firstPruneOfNewClicks;

    /** Values that arrived since the last tick, encoded one after another (an append copies bytes). */
    @StateId("arrivals")
    private final StateSpec<ValueState<byte[]>> arrivalsSpec = StateSpecs.value(ByteArrayCoder.of());

    /** Each impression's join, by impression_id. */
    @StateId("joins")
    private final StateSpec<MapState<String, Join>> joinsSpec =
        StateSpecs.map(StringUtf8Coder.of(), JoinCoder.INSTANCE);

    /** The earliest time some join must be settled again (a lower bound). */
    @StateId("joinsWakeAt")
    private final StateSpec<ValueState<Long>> joinsWakeAtSpec = StateSpecs.value(VarLongCoder.of());

    /** The clicks this shard attributed, by user, while a conversion can still win them. */
    @StateId("users")
    private final StateSpec<MapState<String, List<AttributedClick>>> usersSpec =
        StateSpecs.map(StringUtf8Coder.of(), ListCoder.of(AdEventCoders.AttributedClickCoder.of()));

    /** The earliest time some user's clicks must be pruned (a lower bound). */
    @StateId("usersPruneAt")
    private final StateSpec<ValueState<Long>> usersPruneAtSpec = StateSpecs.value(VarLongCoder.of());

    /** Conversions waiting for the watermark to pass their time. */
    @StateId("conversions")
    private final StateSpec<ValueState<List<Conversion>>> conversionsSpec =
        StateSpecs.value(ListCoder.of(AdEventCoders.ConversionCoder.of()));

    @StateId("sweptUpTo")
    private final StateSpec<ValueState<Long>> sweptUpToSpec = StateSpecs.value(VarLongCoder.of());

    ShardSweepFn(Duration clickWindow, Duration attributionWindow, Duration allowedLateness, boolean bounded) {
      this.clickWindow = clickWindow;
      this.attributionWindow = attributionWindow;
      this.allowedLateness = allowedLateness;
      this.bounded = bounded;
    }

    @ProcessElement
    public void process(@Element KV<Integer, RawUnionValue> element,
        @StateId("arrivals") ValueState<byte[]> arrivals,
        @StateId("joins") MapState<String, Join> joins,
        @StateId("joinsWakeAt") ValueState<Long> joinsWakeAt,
        @StateId("users") MapState<String, List<AttributedClick>> users,
        @StateId("usersPruneAt") ValueState<Long> usersPruneAt,
        @StateId("conversions") ValueState<List<Conversion>> conversions,
        @StateId("sweptUpTo") ValueState<Long> sweptUpTo,
        MultiOutputReceiver out) throws IOException {
      RawUnionValue value = element.getValue();
      if (value.getUnionTag() != TICK) {
        byte[] before = arrivals.read();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((before == null ? 0 : before.length) + 96);
        if (before != null) {
          bytes.writeBytes(before);
        }
        ARRIVAL_CODER.encode(value, bytes);
        arrivals.write(bytes.toByteArray());
        return;
      }
      Instant now = (Instant) value.getValue();
      Long swept = sweptUpTo.read();
      if (swept != null && now.getMillis() <= swept) {
        return;
      }
      sweptUpTo.write(now.getMillis());

      // What arrived, by impression; conversions join the waiting ones.
      Map<String, List<RawUnionValue>> arrived = new HashMap<>();
      List<Conversion> waiting = new ArrayList<>();
      List<Conversion> kept = conversions.read();
      if (kept != null) {
        waiting.addAll(kept);
      }
      int keptCount = waiting.size();
      byte[] bytes = arrivals.read();
      if (bytes != null) {
        arrivals.clear();
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        while (in.available() > 0) {
          RawUnionValue arrival = ARRIVAL_CODER.decode(in);
          if (arrival.getUnionTag() == CONVERSION) {
            waiting.add((Conversion) arrival.getValue());
          } else {
            String impressionId = arrival.getUnionTag() == IMPRESSION
                ? ((Impression) arrival.getValue()).impressionId()
                : ((AdClick) arrival.getValue()).impressionId();
            arrived.computeIfAbsent(impressionId, k -> new ArrayList<>()).add(arrival);
          }
        }
      }

      // The click join first: every click attributed up to now is then in `users` for the conversions.
      Set<String> toSettle = new LinkedHashSet<>(arrived.keySet());
      Long wake = joinsWakeAt.read();
      boolean wakeAll = wake != null && wake <= now.getMillis();
      if (wakeAll) {
        for (Map.Entry<String, Join> entry : joins.entries().read()) {
          Long at = wakeAt(entry.getValue());
          if (at != null && at <= now.getMillis()) {
            toSettle.add(entry.getKey());
          }
        }
      }
      long nextWake = wakeAll || wake == null ? Long.MAX_VALUE : wake;
      Long pruneAt = usersPruneAt.read();
      long nextPrune = pruneAt == null ? Long.MAX_VALUE : pruneAt;
      firstPruneOfNewClicks = Long.MAX_VALUE;
      for (String impressionId : toSettle) {
        Join join = joins.get(impressionId).read();
        join = settle(join, arrived.getOrDefault(impressionId, List.of()), now, users, out);
        if (join.impression() == null && join.pending().isEmpty()) {
          joins.remove(impressionId);
        } else {
          joins.put(impressionId, join);
          Long at = wakeAt(join);
          nextWake = at == null ? nextWake : Math.min(nextWake, at);
        }
      }
      if (wakeAll) {
        for (Map.Entry<String, Join> entry : joins.entries().read()) {
          if (!toSettle.contains(entry.getKey())) {
            Long at = wakeAt(entry.getValue());
            nextWake = at == null ? nextWake : Math.min(nextWake, at);
          }
        }
      }
      nextPrune = Math.min(nextPrune, firstPruneOfNewClicks);
      if (nextWake == Long.MAX_VALUE) {
        joinsWakeAt.clear();
      } else {
        joinsWakeAt.write(nextWake);
      }

      // Then each conversion whose time the watermark has passed: this shard's last click for it.
      List<Conversion> later = new ArrayList<>();
      for (Conversion conversion : waiting) {
        if (conversion.eventTime().isAfter(now)) {
          later.add(conversion);
          continue;
        }
        List<AttributedClick> held = users.get(conversion.userId()).read();
        AttributedClick last =
            held == null ? null : AttributeConversions.lastClickBefore(conversion, held, attributionWindow);
        out.get(PARTIALS).outputWithTimestamp(KV.of(conversion.conversionId(), new Partial(conversion, last)),
            conversion.eventTime());
      }
      if (later.size() != waiting.size() || waiting.size() != keptCount) {
        if (later.isEmpty()) {
          conversions.clear();
        } else {
          conversions.write(later);
        }
      }

      // Last, what the timer version prunes at its expiry timers up to now.
      if (nextPrune <= now.getMillis()) {
        nextPrune = Long.MAX_VALUE;
        for (Map.Entry<String, List<AttributedClick>> entry : users.entries().read()) {
          List<AttributedClick> held = entry.getValue();
          List<AttributedClick> left = AttributeConversions.prune(now, held, allowedLateness, attributionWindow);
          if (left.isEmpty()) {
            users.remove(entry.getKey());
            continue;
          }
          if (left.size() < held.size()) {
            users.put(entry.getKey(), left);
          }
          Instant at = AttributeConversions.nextPrune(now, left, allowedLateness, attributionWindow);
          nextPrune = at == null ? nextPrune : Math.min(nextPrune, at.getMillis());
        }
      }
      if (nextPrune == Long.MAX_VALUE) {
        usersPruneAt.clear();
      } else {
        usersPruneAt.write(nextPrune);
      }
    }

    /**
     * One impression's join at a tick: what arrived joins it (the first impression stays), it is
     * settled at {@code now}, and once {@code now} passes the impression's expiry it is forgotten and
     * its waiting clicks settled again without it, in the order the timer version takes them.
     */
    private Join settle(@Nullable Join join, List<RawUnionValue> arrived, Instant now,
        MapState<String, List<AttributedClick>> users, MultiOutputReceiver out) {
      Impression impression = join == null ? null : join.impression();
      AdClick winner = join == null ? null : join.winner();
      List<AdClick> pending = new ArrayList<>(join == null ? List.of() : join.pending());
      for (RawUnionValue value : arrived) {
        if (value.getUnionTag() == IMPRESSION) {
          impression = impression == null ? (Impression) value.getValue() : impression;
        } else {
          pending.add((AdClick) value.getValue());
        }
      }
      AttributeClicks.Settled settled = settleOnce(now, impression, winner, pending, users, out);
      if (impression != null && !bounded
          && !AttributeClicks.expiry(impression, clickWindow, allowedLateness).isAfter(now)) {
        settled = settleOnce(now, null, null, settled.waiting(), users, out);
        return new Join(null, null, settled.waiting());
      }
      return new Join(impression, settled.winner(), settled.waiting());
    }

    /** The timer join's settling, its decisions emitted as there; an attributed click is also kept for its user. */
    private AttributeClicks.Settled settleOnce(Instant now, @Nullable Impression impression, @Nullable AdClick winner,
        List<AdClick> pending, MapState<String, List<AttributedClick>> users, MultiOutputReceiver out) {
      AttributeClicks.Decisions emitting = outcomes.emitting(impression, out);
      return AttributeClicks.settle(now, impression, winner, pending, clickWindow, allowedLateness, bounded,
          new AttributeClicks.Decisions() {
            @Override
            public void attributed(AdClick click) {
              emitting.attributed(click);
              AttributedClick attributed = new AttributedClick(click, impression.campaignId());
              List<AttributedClick> held = users.get(click.userId()).read();
              List<AttributedClick> more = new ArrayList<>(held == null ? List.of() : held);
              more.add(attributed);
              users.put(click.userId(), more);
              firstPruneOfNewClicks = Math.min(firstPruneOfNewClicks,
                  AttributeConversions.firstPrune(attributed, allowedLateness).getMillis());
            }

            @Override
            public void orphan(AdClick click, String reason, @Nullable Impression of) {
              emitting.orphan(click, reason, of);
            }
          });
    }

    /** When the join must be settled again though nothing arrives for it: a waiting click's time or the expiry. */
    private @Nullable Long wakeAt(Join join) {
      Long at = null;
      Impression impression = join.impression();
      if (impression != null && !bounded) {
        at = AttributeClicks.expiry(impression, clickWindow, allowedLateness).getMillis();
      }
      for (AdClick click : join.pending()) {
        long decide = impression == null
            ? AttributeClicks.waitForImpression(click, clickWindow, allowedLateness, bounded).getMillis()
            : click.eventTime().getMillis();
        at = at == null ? decide : Math.min(at, decide);
      }
      return at;
    }
  }

  /** A conversion's partials, one per shard: when all are in, the latest click among them wins. */
  static final class MergePartialsFn extends EmitsAtEventTimeFn<KV<String, Partial>, Attribution> {
    private final AttributeConversions.ConversionOutcomes outcomes = new AttributeConversions.ConversionOutcomes();

    @StateId("shards")
    private final StateSpec<ValueState<Integer>> shardsSpec = StateSpecs.value(VarIntCoder.of());

    @StateId("last")
    private final StateSpec<ValueState<AttributedClick>> lastSpec =
        StateSpecs.value(AdEventCoders.AttributedClickCoder.of());

    @ProcessElement
    public void process(@Element KV<String, Partial> element,
        @StateId("shards") ValueState<Integer> shards,
        @StateId("last") ValueState<AttributedClick> last,
        OutputReceiver<Attribution> out) {
      Partial partial = element.getValue();
      AttributedClick best = last.read();
      AttributedClick offered = partial.click();
      if (offered != null && (best == null || AttributedClick.LATEST_LAST.compare(offered, best) > 0)) {
        best = offered;
      }
      Integer seen = shards.read();
      int count = (seen == null ? 0 : seen) + 1;
      if (count < SHARDS) {
        shards.write(count);
        if (best != null) {
          last.write(best);
        }
        return;
      }
      shards.clear();
      last.clear();
      out.outputWithTimestamp(outcomes.decided(partial.conversion(), best), partial.conversion().eventTime());
    }
  }
}
