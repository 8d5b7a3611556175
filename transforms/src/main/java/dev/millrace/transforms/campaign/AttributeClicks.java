package dev.millrace.transforms.campaign;

import static dev.millrace.transforms.campaign.AttributionJoins.zeroOrPositive;
import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.model.Accounting;
import dev.millrace.transforms.aggregate.GroupInShards;
import dev.millrace.transforms.campaign.AttributionJoins.Side;
import dev.millrace.transforms.window.EmitsAtEventTimeFn;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Joins clicks with the impressions they came from, in event time, whatever the arrival order: a
 * click is {@link #ATTRIBUTED} when its impression exists, the users match and {@code impression time
 * <= click time <= impression time + clickWindow}; at most one click per impression is, the earliest
 * that qualifies (ties: the smallest click_id). Every other click is an {@link #ORPHANS orphan} with
 * the first reason that applies: no_impression, user_mismatch, too_late, repeat_click.
 *
 * <p>Streaming, keyed by impression_id. A qualifying click is decided when the watermark reaches its
 * own time (every earlier click of the impression has arrived by then); a click without impression
 * waits until its time + clickWindow + allowed lateness for one (an impression later than that makes
 * it no_impression rather than too_late). A bounded input is all there: impressions and clicks are
 * grouped by a hash of the impression_id (a few keys, not one per impression: each key is a bundle
 * of its own on the DirectRunner) and each impression's clicks decided at once, with the same rules
 * ({@link #settle}); a duplicate impression that outlived de-duplication loses to the earliest.
 * An impression is kept until its time + clickWindow + allowed lateness, then forgotten.
 * Attributed clicks carry their click time as timestamp (held back by the timers' watermark holds).
 *
 * <pre>{@code
 * PCollectionTuple joined = clicks.apply("AttributeClicks",
 *     AttributeClicks.to(impressions).withClickWindow(Duration.standardMinutes(30)));
 * joined.get(AttributeClicks.ATTRIBUTED); joined.get(AttributeClicks.ORPHANS);
 * }</pre>
 */
public final class AttributeClicks extends PTransform<PCollection<AdClick>, PCollectionTuple> {
  public static final TupleTag<AttributedClick> ATTRIBUTED = new TupleTag<>() {};
  public static final TupleTag<OrphanClick> ORPHANS = new TupleTag<>() {};
  public static final String CLICKS_ATTRIBUTED = "clicks_attributed";
  /** Prefix of the per-reason orphan counters: {@code clicks_orphaned.<reason>}. */
  public static final String ORPHANED_PREFIX = "clicks_orphaned.";
  public static final Duration DEFAULT_CLICK_WINDOW = Duration.standardMinutes(30);

  private static final int IMPRESSION = AttributionJoins.FIRST;
  private static final int CLICK = AttributionJoins.SECOND;
  /** Bounded input: impressions spread over this many keys (fewer on the DirectRunner). */
  static final int SHARDS = 64;

  private final PCollection<Impression> impressions;
  private final Duration clickWindow;
  private final Duration allowedLateness;
  private final boolean groupsStampedAtWindowEnd;

  private AttributeClicks(PCollection<Impression> impressions, Duration clickWindow, Duration allowedLateness,
      boolean groupsStampedAtWindowEnd) {
    this.impressions = impressions;
    this.clickWindow = clickWindow;
    this.allowedLateness = allowedLateness;
    this.groupsStampedAtWindowEnd = groupsStampedAtWindowEnd;
  }

  /** Clicks attributed to these impressions, within {@link #DEFAULT_CLICK_WINDOW}, no allowed lateness. */
  public static AttributeClicks to(PCollection<Impression> impressions) {
    checkArgument(impressions != null, "impressions must not be null");
    return new AttributeClicks(impressions, DEFAULT_CLICK_WINDOW, Duration.ZERO, false);
  }

  /** How long after its impression a click may be (inclusive). */
  public AttributeClicks withClickWindow(Duration clickWindow) {
    return new AttributeClicks(impressions, zeroOrPositive("clickWindow", clickWindow), allowedLateness,
        groupsStampedAtWindowEnd);
  }

  /** How long past the click window an impression is kept for clicks that arrive late. */
  public AttributeClicks withAllowedLateness(Duration allowedLateness) {
    return new AttributeClicks(impressions, clickWindow, zeroOrPositive("allowedLateness", allowedLateness),
        groupsStampedAtWindowEnd);
  }

  /** Bounded input in a batch job: see {@link GroupInShards#withGroupsStampedAtWindowEnd}. */
  public AttributeClicks withGroupsStampedAtWindowEnd(boolean stampedAtWindowEnd) {
    return new AttributeClicks(impressions, clickWindow, allowedLateness, stampedAtWindowEnd);
  }

  @Override
  public PCollectionTuple expand(PCollection<AdClick> clicks) {
    PCollection<KV<String, RawUnionValue>> both = AttributionJoins.union(
        new Side<>("KeyImpressionsById", impressions, Impression::impressionId, AdEventCoders.ImpressionCoder.of()),
        new Side<>("KeyClicksByImpression", clicks, AdClick::impressionId, AdEventCoders.AdClickCoder.of()),
        "ImpressionsAndClicks");
    PCollectionTuple joined;
    if (AttributionJoins.bounded(both)) {
      joined = both
          .apply("GroupByImpressionShard", GroupInShards.<RawUnionValue>of(SHARDS)
              .withGroupsStampedAtWindowEnd(groupsStampedAtWindowEnd))
          .apply("JoinEachImpression", ParDo.of(new JoinGroupedFn(clickWindow))
              .withOutputTags(ATTRIBUTED, TupleTagList.of(ORPHANS)));
    } else {
      joined = both
          .apply("JoinInEventTime", ParDo.of(new JoinFn(clickWindow, allowedLateness))
              .withOutputTags(ATTRIBUTED, TupleTagList.of(ORPHANS)));
    }
    joined.get(ATTRIBUTED).setCoder(AdEventCoders.AttributedClickCoder.of());
    joined.get(ORPHANS).setCoder(AdEventCoders.rowCoder(clicks.getPipeline(), OrphanClick.class));
    return joined;
  }

  /** Bounded input: each impression of a shard with all its clicks, decided at once. */
  static final class JoinGroupedFn
      extends EmitsAtEventTimeFn<KV<Integer, Iterable<KV<String, RawUnionValue>>>, AttributedClick> {
    private final Duration clickWindow;
    private final ClickOutcomes outcomes = new ClickOutcomes();

    JoinGroupedFn(Duration clickWindow) {
      this.clickWindow = clickWindow;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, RawUnionValue>>> shard, MultiOutputReceiver out) {
      Map<String, Impression> impressions = new HashMap<>();
      Map<String, List<AdClick>> clicks = new HashMap<>();
      for (KV<String, RawUnionValue> record : shard.getValue()) {
        if (record.getValue().getUnionTag() == IMPRESSION) {
          impressions.merge(record.getKey(), (Impression) record.getValue().getValue(),
              (kept, copy) -> copy.eventTime().isBefore(kept.eventTime()) ? copy : kept);
        } else {
          clicks.computeIfAbsent(record.getKey(), id -> new ArrayList<>()).add((AdClick) record.getValue().getValue());
        }
      }
      // Everything is in: every click is decided now, as the end of the input would decide it.
      Instant end = GlobalWindow.INSTANCE.maxTimestamp();
      for (Map.Entry<String, List<AdClick>> impressionClicks : clicks.entrySet()) {
        Impression impression = impressions.get(impressionClicks.getKey());
        settle(end, impression, null, impressionClicks.getValue(), clickWindow, Duration.ZERO, true,
            outcomes.emitting(impression, out));
      }
    }
  }

  /** Streaming: a key per impression, its clicks decided as the watermark passes them. */
  static final class JoinFn extends EmitsAtEventTimeFn<KV<String, RawUnionValue>, AttributedClick> {
    private final Duration clickWindow;
    private final Duration allowedLateness;
    private final ClickOutcomes outcomes = new ClickOutcomes();

    @StateId("impression")
    private final StateSpec<ValueState<Impression>> impressionSpec =
        StateSpecs.value(AdEventCoders.ImpressionCoder.of());

    @StateId("pending")
    private final StateSpec<BagState<AdClick>> pendingSpec = StateSpecs.bag(AdEventCoders.AdClickCoder.of());

    /** Whether the impression's one click has been attributed. */
    @StateId("attributed")
    private final StateSpec<ValueState<AdClick>> attributedSpec = StateSpecs.value(AdEventCoders.AdClickCoder.of());

    @StateId("decideAt")
    private final StateSpec<ValueState<Instant>> decideAtSpec =
        StateSpecs.value(org.apache.beam.sdk.coders.InstantCoder.of());

    @TimerId("decide")
    private final TimerSpec decideSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    JoinFn(Duration clickWindow, Duration allowedLateness) {
      this.clickWindow = clickWindow;
      this.allowedLateness = allowedLateness;
    }

    @ProcessElement
    public void process(
        @Element KV<String, RawUnionValue> element,
        @StateId("impression") ValueState<Impression> impression,
        @StateId("pending") BagState<AdClick> pending,
        @StateId("attributed") ValueState<AdClick> attributed,
        @StateId("decideAt") ValueState<Instant> decideAt,
        @TimerId("decide") Timer decide,
        @TimerId("expire") Timer expire,
        MultiOutputReceiver out) {
      RawUnionValue value = element.getValue();
      if (value.getUnionTag() == IMPRESSION) {
        Impression arrived = (Impression) value.getValue();
        if (impression.read() != null) {
          return; // a copy that outlived de-duplication: the first impression stays
        }
        impression.write(arrived);
        // After the last moment a qualifying click can be decided (its time <= impression + window).
        expire.set(expiry(arrived, clickWindow, allowedLateness));
      } else {
        pending.add((AdClick) value.getValue());
      }
      settle(null, impression, pending, attributed, decideAt, decide, out);
    }

    @OnTimer("decide")
    public void onDecide(
        OnTimerContext context,
        @StateId("impression") ValueState<Impression> impression,
        @StateId("pending") BagState<AdClick> pending,
        @StateId("attributed") ValueState<AdClick> attributed,
        @StateId("decideAt") ValueState<Instant> decideAt,
        @TimerId("decide") Timer decide,
        MultiOutputReceiver out) {
      decideAt.clear();
      settle(context.timestamp(), impression, pending, attributed, decideAt, decide, out);
    }

    @OnTimer("expire")
    public void onExpire(
        @StateId("impression") ValueState<Impression> impression,
        @StateId("pending") BagState<AdClick> pending,
        @StateId("attributed") ValueState<AdClick> attributed,
        @StateId("decideAt") ValueState<Instant> decideAt,
        @TimerId("decide") Timer decide,
        MultiOutputReceiver out) {
      // Every click that could qualify was decided before this; a click still pending (one that came
      // after the click window) waits for an impression like any other.
      impression.clear();
      attributed.clear();
      settle(null, impression, pending, attributed, decideAt, decide, out);
    }

    private void settle(
        @Nullable Instant now,
        ValueState<Impression> impressionState,
        BagState<AdClick> pending,
        ValueState<AdClick> attributed,
        ValueState<Instant> decideAt,
        Timer decide,
        MultiOutputReceiver out) {
      Impression impression = impressionState.read();
      AdClick winner = attributed.read();
      Settled settled = AttributeClicks.settle(now, impression, winner, pending.read(), clickWindow,
          allowedLateness, false, outcomes.emitting(impression, out));
      if (settled.winner() != winner) {
        attributed.write(settled.winner());
      }
      if (settled.changed()) {
        pending.clear();
        for (AdClick click : settled.waiting()) {
          pending.add(click);
        }
      }
      Instant next = settled.next();
      Instant scheduled = decideAt.read();
      if (next == null) {
        if (scheduled != null) {
          decide.clear();
          decideAt.clear();
        }
      } else if (scheduled == null || !next.equals(scheduled)) {
        decide.set(next);
        decideAt.write(next);
      }
    }
  }

  /**
   * How a click join counts and emits what it decides: {@code clicks_attributed}, and the per-reason
   * orphan counters ({@code clicks_orphaned.<reason>}, made as reasons come).
   */
  static final class ClickOutcomes implements Serializable {
    private final Counter attributed = Accounting.counter(CLICKS_ATTRIBUTED);
    private transient @Nullable Map<String, Counter> orphaned;

    /** Decisions counted and emitted: attributed clicks at their own time, orphans at the input's. */
    Decisions emitting(@Nullable Impression impression, DoFn.MultiOutputReceiver out) {
      return new Decisions() {
        @Override
        public void attributed(AdClick click) {
          attributed.inc();
          out.get(ATTRIBUTED).outputWithTimestamp(new AttributedClick(click, impression.campaignId()),
              click.eventTime());
        }

        @Override
        public void orphan(AdClick click, String reason, @Nullable Impression of) {
          if (orphaned == null) {
            orphaned = new HashMap<>();
          }
          orphaned.computeIfAbsent(reason, r -> Accounting.counter(ORPHANED_PREFIX + r)).inc();
          out.get(ORPHANS).output(OrphanClick.of(click, reason, of));
        }
      };
    }
  }

  /** What a settling decides, as it decides it. */
  interface Decisions {
    void attributed(AdClick click);

    void orphan(AdClick click, String reason, @Nullable Impression impression);
  }

  /** An impression's clicks after settling: its winner, the clicks still waiting, when to settle next. */
  record Settled(@Nullable AdClick winner, List<AdClick> waiting, @Nullable Instant next, boolean changed) {}

  /**
   * Decides every pending click of one impression that can be decided: at once when it cannot
   * qualify or the impression already has its click; at {@code now} (a timer's or tick's time, null
   * on arrival) when it qualifies and its time has come, or when it has waited the click window for
   * an impression. Shared by the timer join and its watermark-tick twin.
   */
  static Settled settle(@Nullable Instant now, @Nullable Impression impression, @Nullable AdClick winner,
      Iterable<AdClick> pending, Duration clickWindow, Duration allowedLateness, boolean bounded, Decisions out) {
    List<AdClick> candidates = new ArrayList<>();
    List<AdClick> waiting = new ArrayList<>();
    Instant next = null;
    boolean changed = false;
    for (AdClick click : pending) {
      Instant decideTime;
      if (impression == null) {
        decideTime = waitForImpression(click, clickWindow, allowedLateness, bounded);
      } else {
        String reason = disqualification(impression, click, clickWindow);
        if (reason == null && winner != null) {
          reason = OrphanClick.REPEAT_CLICK;
        }
        if (reason != null) {
          out.orphan(click, reason, impression);
          changed = true;
          continue;
        }
        decideTime = click.eventTime();
      }
      if (now != null && !decideTime.isAfter(now)) {
        changed = true;
        if (impression == null) {
          out.orphan(click, OrphanClick.NO_IMPRESSION, null);
        } else {
          candidates.add(click);
        }
      } else {
        waiting.add(click);
        next = next == null || decideTime.isBefore(next) ? decideTime : next;
      }
    }
    candidates.sort(AdClick.EARLIEST_FIRST);
    for (AdClick click : candidates) {
      if (winner == null) {
        winner = click;
        out.attributed(click);
      } else {
        out.orphan(click, OrphanClick.REPEAT_CLICK, impression);
      }
    }
    return new Settled(winner, waiting, next, changed);
  }

  /**
   * When a click without impression becomes no_impression. Any impression up to the click's time
   * plus the window (that could make it attributed) has arrived by then; one later still would make it
   * too_late instead: bounded, it waits for the end of the input; streaming, the allowed lateness more.
   */
  static Instant waitForImpression(AdClick click, Duration clickWindow, Duration allowedLateness,
      boolean bounded) {
    return bounded
        ? GlobalWindow.INSTANCE.maxTimestamp()
        : click.eventTime().plus(clickWindow).plus(allowedLateness);
  }

  /** Why the click can never be attributed to this impression (user, then time), or null. */
  private static @Nullable String disqualification(Impression impression, AdClick click, Duration clickWindow) {
    if (!impression.userId().equals(click.userId())) {
      return OrphanClick.USER_MISMATCH;
    }
    Instant shown = impression.eventTime();
    if (click.eventTime().isBefore(shown) || click.eventTime().isAfter(shown.plus(clickWindow))) {
      return OrphanClick.TOO_LATE;
    }
    return null;
  }

  /** When an impression is forgotten: past the last moment a qualifying click can be decided. */
  static Instant expiry(Impression impression, Duration clickWindow, Duration allowedLateness) {
    return impression.eventTime().plus(clickWindow).plus(allowedLateness).plus(Duration.millis(1));
  }
}
