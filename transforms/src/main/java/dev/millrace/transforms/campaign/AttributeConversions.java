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
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Last-click attribution in event time: each conversion goes to the same user's latest attributed
 * click with {@code click time < conversion time} and {@code conversion time - click time <=
 * attributionWindow} (ties: the largest click_id), or to none. One {@link Attribution} per
 * conversion, timestamped with the conversion's time.
 *
 * <p>Streaming, keyed by user_id. A conversion is decided when the watermark reaches its time: every
 * click before it has then arrived (the click join holds the watermark back until it emits them). A
 * user's state is bounded: once the watermark is the allowed lateness past a click, that click hides
 * every earlier one (any conversion still to come prefers it), so only it, its ties and newer clicks
 * are kept, and it too is dropped when it leaves the attribution window. A bounded input is all
 * there: clicks and conversions are grouped by a hash of the user_id (a few keys, not one per user:
 * each key is a bundle of its own on the DirectRunner) and each conversion decided against all of its
 * user's clicks ({@link #lastClickBefore}).
 *
 * <pre>{@code
 * PCollection<Attribution> attributions = conversions.apply("AttributeConversions",
 *     AttributeConversions.to(attributedClicks).withAttributionWindow(Duration.standardHours(24)));
 * }</pre>
 */
public final class AttributeConversions extends PTransform<PCollection<Conversion>, PCollection<Attribution>> {
  public static final String CONVERSIONS_ATTRIBUTED = "conversions_attributed";
  public static final String CONVERSIONS_UNATTRIBUTED = "conversions_unattributed";
  public static final Duration DEFAULT_ATTRIBUTION_WINDOW = Duration.standardHours(24);

  private static final int CLICK = AttributionJoins.FIRST;
  private static final int CONVERSION = AttributionJoins.SECOND;
  /** Bounded input: users spread over this many keys (fewer on the DirectRunner). */
  static final int SHARDS = 64;

  private final PCollection<AttributedClick> clicks;
  private final Duration attributionWindow;
  private final Duration allowedLateness;
  private final boolean groupsStampedAtWindowEnd;

  private AttributeConversions(PCollection<AttributedClick> clicks, Duration attributionWindow,
      Duration allowedLateness, boolean groupsStampedAtWindowEnd) {
    this.clicks = clicks;
    this.attributionWindow = attributionWindow;
    this.allowedLateness = allowedLateness;
    this.groupsStampedAtWindowEnd = groupsStampedAtWindowEnd;
  }

  /** Conversions attributed to these clicks, within {@link #DEFAULT_ATTRIBUTION_WINDOW}, no allowed lateness. */
  public static AttributeConversions to(PCollection<AttributedClick> clicks) {
    checkArgument(clicks != null, "clicks must not be null");
    return new AttributeConversions(clicks, DEFAULT_ATTRIBUTION_WINDOW, Duration.ZERO, false);
  }

  /** How long after its click a conversion may be (inclusive). */
  public AttributeConversions withAttributionWindow(Duration window) {
    return new AttributeConversions(clicks, zeroOrPositive("attributionWindow", window), allowedLateness,
        groupsStampedAtWindowEnd);
  }

  /** How long past the attribution window a click is kept for conversions that arrive late. */
  public AttributeConversions withAllowedLateness(Duration allowedLateness) {
    return new AttributeConversions(clicks, attributionWindow, zeroOrPositive("allowedLateness", allowedLateness),
        groupsStampedAtWindowEnd);
  }

  /** Bounded input in a batch job: see {@link GroupInShards#withGroupsStampedAtWindowEnd}. */
  public AttributeConversions withGroupsStampedAtWindowEnd(boolean stampedAtWindowEnd) {
    return new AttributeConversions(clicks, attributionWindow, allowedLateness, stampedAtWindowEnd);
  }

  @Override
  public PCollection<Attribution> expand(PCollection<Conversion> conversions) {
    PCollection<KV<String, RawUnionValue>> both = AttributionJoins.union(
        new Side<>("KeyClicksByUser", clicks, c -> c.click().userId(), AdEventCoders.AttributedClickCoder.of()),
        new Side<>("KeyConversionsByUser", conversions, Conversion::userId, AdEventCoders.ConversionCoder.of()),
        "ClicksAndConversions");
    PCollection<Attribution> attributions;
    if (AttributionJoins.bounded(both)) {
      attributions = both
          .apply("GroupByUserShard", GroupInShards.<RawUnionValue>of(SHARDS)
              .withGroupsStampedAtWindowEnd(groupsStampedAtWindowEnd))
          .apply("LastClickOfEachConversion", ParDo.of(new LastClickGroupedFn(attributionWindow)));
    } else {
      attributions = both.apply("LastClickInEventTime", ParDo.of(new LastClickFn(attributionWindow, allowedLateness)));
    }
    return attributions.setCoder(AdEventCoders.rowCoder(conversions.getPipeline(), Attribution.class));
  }

  /** How a conversion join counts and makes what it decides: {@code conversions_(un)attributed}, one row. */
  static final class ConversionOutcomes implements Serializable {
    private final Counter attributed = Accounting.counter(CONVERSIONS_ATTRIBUTED);
    private final Counter unattributed = Accounting.counter(CONVERSIONS_UNATTRIBUTED);

    /** The conversion's row, attributed to {@code last} (null: to none), counted. */
    Attribution decided(Conversion conversion, @Nullable AttributedClick last) {
      (last == null ? unattributed : attributed).inc();
      return Attribution.of(conversion, last);
    }
  }

  /** Bounded input: each conversion of a shard against all of its user's clicks. */
  static final class LastClickGroupedFn
      extends EmitsAtEventTimeFn<KV<Integer, Iterable<KV<String, RawUnionValue>>>, Attribution> {
    private final Duration attributionWindow;
    private final ConversionOutcomes outcomes = new ConversionOutcomes();

    LastClickGroupedFn(Duration attributionWindow) {
      this.attributionWindow = attributionWindow;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, RawUnionValue>>> shard, OutputReceiver<Attribution> out) {
      Map<String, List<AttributedClick>> clicks = new HashMap<>();
      List<Conversion> conversions = new ArrayList<>();
      for (KV<String, RawUnionValue> record : shard.getValue()) {
        if (record.getValue().getUnionTag() == CLICK) {
          clicks.computeIfAbsent(record.getKey(), user -> new ArrayList<>())
              .add((AttributedClick) record.getValue().getValue());
        } else {
          conversions.add((Conversion) record.getValue().getValue());
        }
      }
      for (Conversion conversion : conversions) {
        AttributedClick last =
            lastClickBefore(conversion, clicks.getOrDefault(conversion.userId(), List.of()), attributionWindow);
        out.outputWithTimestamp(outcomes.decided(conversion, last), conversion.eventTime());
      }
    }
  }

  /** Streaming: a key per user, its conversions decided as the watermark passes them. */
  static final class LastClickFn extends EmitsAtEventTimeFn<KV<String, RawUnionValue>, Attribution> {
    private final Duration attributionWindow;
    private final Duration allowedLateness;
    private final ConversionOutcomes outcomes = new ConversionOutcomes();

    @StateId("clicks")
    private final StateSpec<BagState<AttributedClick>> clicksSpec =
        StateSpecs.bag(AdEventCoders.AttributedClickCoder.of());

    @StateId("pending")
    private final StateSpec<BagState<Conversion>> pendingSpec = StateSpecs.bag(AdEventCoders.ConversionCoder.of());

    @StateId("decideAt")
    private final StateSpec<ValueState<Instant>> decideAtSpec = StateSpecs.value(InstantCoder.of());

    @StateId("expireAt")
    private final StateSpec<ValueState<Instant>> expireAtSpec = StateSpecs.value(InstantCoder.of());

    @TimerId("decide")
    private final TimerSpec decideSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    LastClickFn(Duration attributionWindow, Duration allowedLateness) {
      this.attributionWindow = attributionWindow;
      this.allowedLateness = allowedLateness;
    }

    @ProcessElement
    public void process(
        @Element KV<String, RawUnionValue> element,
        @StateId("clicks") BagState<AttributedClick> clicks,
        @StateId("pending") BagState<Conversion> pending,
        @StateId("decideAt") ValueState<Instant> decideAt,
        @StateId("expireAt") ValueState<Instant> expireAt,
        @TimerId("decide") Timer decide,
        @TimerId("expire") Timer expire) {
      RawUnionValue value = element.getValue();
      if (value.getUnionTag() == CLICK) {
        AttributedClick click = (AttributedClick) value.getValue();
        clicks.add(click);
        // Once the watermark is a lateness past it, this click hides every earlier one: prune then.
        setNoLaterThan(expire, expireAt, firstPrune(click, allowedLateness));
      } else {
        Conversion conversion = (Conversion) value.getValue();
        pending.add(conversion);
        setNoLaterThan(decide, decideAt, conversion.eventTime());
      }
    }

    @OnTimer("decide")
    public void onDecide(
        OnTimerContext context,
        @StateId("clicks") BagState<AttributedClick> clicks,
        @StateId("pending") BagState<Conversion> pending,
        @StateId("decideAt") ValueState<Instant> decideAt,
        @TimerId("decide") Timer decide) {
      Instant now = context.timestamp();
      decideAt.clear();
      List<AttributedClick> held = held(clicks);
      List<Conversion> waiting = new ArrayList<>();
      Instant next = null;
      for (Conversion conversion : pending.read()) {
        if (conversion.eventTime().isAfter(now)) {
          waiting.add(conversion);
          next = next == null || conversion.eventTime().isBefore(next) ? conversion.eventTime() : next;
          continue;
        }
        AttributedClick last = lastClickBefore(conversion, held, attributionWindow);
        context.outputWithTimestamp(outcomes.decided(conversion, last), conversion.eventTime());
      }
      pending.clear();
      waiting.forEach(pending::add);
      setNoLaterThan(decide, decideAt, next);
      keep(prune(now, held, allowedLateness, attributionWindow), held, clicks);
    }

    @OnTimer("expire")
    public void onExpire(
        OnTimerContext context,
        @StateId("clicks") BagState<AttributedClick> clicks,
        @StateId("expireAt") ValueState<Instant> expireAt,
        @TimerId("expire") Timer expire) {
      Instant now = context.timestamp();
      expireAt.clear();
      List<AttributedClick> held = held(clicks);
      List<AttributedClick> kept = keep(prune(now, held, allowedLateness, attributionWindow), held, clicks);
      setNoLaterThan(expire, expireAt, nextPrune(now, kept, allowedLateness, attributionWindow));
    }

    /** Sets the timer to {@code time} unless it is already set (as {@code at} says) no later; null: leaves it. */
    private static void setNoLaterThan(Timer timer, ValueState<Instant> at, @Nullable Instant time) {
      if (time == null) {
        return;
      }
      Instant scheduled = at.read();
      if (scheduled == null || time.isBefore(scheduled)) {
        timer.set(time);
        at.write(time);
      }
    }

    private static List<AttributedClick> held(BagState<AttributedClick> clicks) {
      List<AttributedClick> held = new ArrayList<>();
      clicks.read().forEach(held::add);
      return held;
    }

    private static List<AttributedClick> keep(List<AttributedClick> kept, List<AttributedClick> held,
        BagState<AttributedClick> clicks) {
      if (kept.size() < held.size()) {
        clicks.clear();
        kept.forEach(clicks::add);
      }
      return kept;
    }
  }

  /**
   * The clicks a conversion at or after {@code now - allowedLateness} can still win: the latest click
   * before that time (and its ties) hides every earlier one, and none older than the attribution
   * window is in reach. Conversions later than the lateness are still decided, on what is kept.
   */
  static List<AttributedClick> prune(Instant now, List<AttributedClick> held, Duration allowedLateness,
      Duration attributionWindow) {
    Instant settled = now.minus(allowedLateness);
    Instant oldestUseful = settled.minus(attributionWindow);
    Instant latestSettled = null;
    for (AttributedClick click : held) {
      Instant t = click.click().eventTime();
      if (t.isBefore(settled) && (latestSettled == null || t.isAfter(latestSettled))) {
        latestSettled = t;
      }
    }
    List<AttributedClick> kept = new ArrayList<>();
    for (AttributedClick click : held) {
      Instant t = click.click().eventTime();
      if (!t.isBefore(oldestUseful) && (latestSettled == null || !t.isBefore(latestSettled))) {
        kept.add(click);
      }
    }
    return kept;
  }

  /**
   * When to prune again: when a click still too recent to hide the earlier ones is old enough, or
   * when the newest old one leaves the attribution window; null when nothing is kept.
   */
  static @Nullable Instant nextPrune(Instant now, List<AttributedClick> kept, Duration allowedLateness,
      Duration attributionWindow) {
    Instant next = null;
    Instant settled = now.minus(allowedLateness);
    for (AttributedClick click : kept) {
      Instant t = click.click().eventTime();
      Instant at = t.isBefore(settled)
          ? t.plus(attributionWindow).plus(allowedLateness).plus(Duration.millis(1))
          : t.plus(allowedLateness).plus(Duration.millis(1));
      next = next == null || at.isBefore(next) ? at : next;
    }
    return next;
  }

  /** When a click prunes first: once the watermark is a lateness past it, it hides every earlier one. */
  static Instant firstPrune(AttributedClick click, Duration allowedLateness) {
    return click.click().eventTime().plus(allowedLateness).plus(Duration.millis(1));
  }

  /** The conversion's last click (ties: the larger click id), or null. */
  static @Nullable AttributedClick lastClickBefore(Conversion conversion, Iterable<AttributedClick> clicks,
      Duration attributionWindow) {
    Instant at = conversion.eventTime();
    Instant earliest = at.minus(attributionWindow);
    AttributedClick last = null;
    for (AttributedClick click : clicks) {
      Instant t = click.click().eventTime();
      if (t.isBefore(at) && !t.isBefore(earliest)
          && (last == null || AttributedClick.LATEST_LAST.compare(click, last) > 0)) {
        last = click;
      }
    }
    return last;
  }
}
