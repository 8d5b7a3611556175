package dev.millrace.transforms.fraud;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.transforms.metrics.Accounting;
import dev.millrace.transforms.model.Transaction;
import dev.millrace.transforms.model.TransactionCoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
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
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Counts, for each transaction at event time t, the transactions of the same card with event time
 * in {@code (t - window, t]}, itself and ties included: exact in event time however the records
 * arrive (out of order, across shards), because a transaction is counted only once the watermark
 * has passed t, when every earlier transaction of its card is in.
 *
 * <p>Per card (a key): the card's recent transactions in a bag, and one event-time timer at the
 * earliest transaction not yet counted. When it fires at T, the transactions at T are counted and
 * emitted (timestamped T), transactions older than {@code T - window - allowedLateness} are dropped
 * from the bag, and the timer moves to the next one. A transaction that arrives behind the counted
 * horizon (late) is counted at once against the bag and counted as {@code
 * velocity_late_transactions}; its count is exact while the bag still holds its window (within the
 * allowed lateness), but earlier verdicts it would have changed stay as they were emitted.
 * In the global window; a card idle for longer than window + lateness leaves no state behind.
 *
 * <p>A bounded input takes a cheaper, equally exact path: each card's transactions grouped, sorted
 * by event time and swept once (a timer per card and transaction is slow on some runners).
 */
public final class VelocityPerCard extends PTransform<PCollection<Transaction>, PCollection<ScoredTransaction>> {
  public static final String LATE_TRANSACTIONS = "velocity_late_transactions";
  static final int BOUNDED_SHARDS = 64;

  private final Duration window;
  private final Duration allowedLateness;

  private VelocityPerCard(Duration window, Duration allowedLateness) {
    this.window = window;
    this.allowedLateness = allowedLateness;
  }

  /** Counts within {@code window} (the velocity rule's, 60 s by default). */
  public static VelocityPerCard within(Duration window) {
    checkArgument(window != null && window.isLongerThan(Duration.ZERO), "window must be positive, but was: %s", window);
    return new VelocityPerCard(window, Duration.standardMinutes(5));
  }

  /** How long a card's history is kept past the window for transactions that arrive late. */
  public VelocityPerCard withAllowedLateness(Duration lateness) {
    checkArgument(lateness != null && !lateness.isShorterThan(Duration.ZERO),
        "allowedLateness must be zero or positive, but was: %s", lateness);
    return new VelocityPerCard(window, lateness);
  }

  @Override
  public PCollection<ScoredTransaction> expand(PCollection<Transaction> transactions) {
    if (transactions.isBounded() == PCollection.IsBounded.BOUNDED) {
      // A bounded input is all there: group the cards' transactions (cards spread over a fixed
      // number of keys, not a key per card: a bundle per key is slow on the DirectRunner) and sweep
      // each card's in time order, instead of a timer per card and transaction.
      return transactions
          .apply("KeyByCardShard",
              WithKeys.of((Transaction t) -> Math.floorMod(t.cardId().hashCode(), BOUNDED_SHARDS))
                  .withKeyType(TypeDescriptors.integers()))
          .setCoder(KvCoder.of(VarIntCoder.of(), TransactionCoder.of()))
          .apply("EarliestTimestamp",
              Window.<KV<Integer, Transaction>>configure().withTimestampCombiner(TimestampCombiner.EARLIEST))
          .apply("GroupByCardShard", GroupByKey.create())
          .apply("CountRecentInOrder", ParDo.of(new SweepFn(window)))
          .setCoder(ScoredTransactionCoder.of());
    }
    return transactions
        .apply("KeyByCard", WithKeys.of(Transaction::cardId).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), TransactionCoder.of()))
        .apply("CountRecentPerCard", ParDo.of(new CountRecentFn(window, allowedLateness)))
        .setCoder(ScoredTransactionCoder.of());
  }

  /** All transactions of some cards: per card, sorted by event time, each counted with two pointers. */
  static final class SweepFn extends DoFn<KV<Integer, Iterable<Transaction>>, ScoredTransaction> {
    private final Duration window;

    SweepFn(Duration window) {
      this.window = window;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Transaction>> shard, OutputReceiver<ScoredTransaction> out) {
      Map<String, List<Transaction>> byCard = new HashMap<>();
      for (Transaction txn : shard.getValue()) {
        byCard.computeIfAbsent(txn.cardId(), c -> new ArrayList<>()).add(txn);
      }
      for (List<Transaction> card : byCard.values()) {
        sweep(card, out);
      }
    }

    private void sweep(List<Transaction> sorted, OutputReceiver<ScoredTransaction> out) {
      sorted.sort(Comparator.comparing(Transaction::eventTime));
      int from = 0;
      int to = 0;
      for (Transaction txn : sorted) {
        Instant t = txn.eventTime();
        // [from, to): the transactions in (t - window, t], ties at t included.
        while (to < sorted.size() && !sorted.get(to).eventTime().isAfter(t)) {
          to++;
        }
        while (!sorted.get(from).eventTime().isAfter(t.minus(window))) {
          from++;
        }
        out.outputWithTimestamp(new ScoredTransaction(txn, to - from, List.of(), null), t);
      }
    }
  }

  static final class CountRecentFn extends DoFn<KV<String, Transaction>, ScoredTransaction> {
    private final Duration window;
    private final Duration retention;
    private final Counter late = Accounting.counter(LATE_TRANSACTIONS);

    @StateId("recent")
    private final StateSpec<BagState<Transaction>> recentSpec = StateSpecs.bag(TransactionCoder.of());

    /** Every transaction at or before this has been counted. */
    @StateId("countedUpTo")
    private final StateSpec<ValueState<Instant>> countedUpToSpec = StateSpecs.value(InstantCoder.of());

    /** Where the count timer is set; null when nothing waits. */
    @StateId("nextCount")
    private final StateSpec<ValueState<Instant>> nextCountSpec = StateSpecs.value(InstantCoder.of());

    @TimerId("count")
    private final TimerSpec countSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    CountRecentFn(Duration window, Duration allowedLateness) {
      this.window = window;
      this.retention = window.plus(allowedLateness);
    }

    @ProcessElement
    public void process(
        @Element KV<String, Transaction> element,
        @StateId("recent") BagState<Transaction> recent,
        @StateId("countedUpTo") ValueState<Instant> countedUpTo,
        @StateId("nextCount") ValueState<Instant> nextCount,
        @TimerId("count") Timer countTimer,
        @TimerId("expire") Timer expireTimer,
        OutputReceiver<ScoredTransaction> out) {
      Transaction txn = element.getValue();
      Instant t = txn.eventTime();
      recent.add(txn);
      Instant counted = countedUpTo.read();
      if (counted != null && !t.isAfter(counted)) {
        // Behind what was already counted: count it now against what the bag holds.
        late.inc();
        List<Transaction> all = new ArrayList<>();
        recent.read().forEach(all::add);
        out.outputWithTimestamp(new ScoredTransaction(txn, countWithin(all, t), List.of(), null), t);
        expireTimer.set(latest(all).plus(retention));
        return;
      }
      Instant next = nextCount.read();
      if (next == null || t.isBefore(next)) {
        countTimer.set(t);
        nextCount.write(t);
      }
    }

    @OnTimer("count")
    public void onCount(
        OnTimerContext context,
        @StateId("recent") BagState<Transaction> recent,
        @StateId("countedUpTo") ValueState<Instant> countedUpTo,
        @StateId("nextCount") ValueState<Instant> nextCount,
        @TimerId("count") Timer countTimer,
        @TimerId("expire") Timer expireTimer) {
      Instant now = context.timestamp();
      List<Transaction> all = new ArrayList<>();
      recent.read().forEach(all::add);
      Instant counted = countedUpTo.read();
      for (Transaction txn : all) {
        Instant t = txn.eventTime();
        // The timer sits at the earliest uncounted time, so these are the transactions at `now`.
        if (!t.isAfter(now) && (counted == null || t.isAfter(counted))) {
          context.outputWithTimestamp(new ScoredTransaction(txn, countWithin(all, t), List.of(), null), t);
        }
      }
      countedUpTo.write(now);
      Instant horizon = now.minus(retention);
      List<Transaction> kept = new ArrayList<>(all.size());
      Instant nextUncounted = null;
      for (Transaction txn : all) {
        Instant t = txn.eventTime();
        if (t.isAfter(horizon)) {
          kept.add(txn);
        }
        if (t.isAfter(now) && (nextUncounted == null || t.isBefore(nextUncounted))) {
          nextUncounted = t;
        }
      }
      if (kept.size() < all.size()) {
        recent.clear();
        kept.forEach(recent::add);
      }
      if (nextUncounted != null) {
        countTimer.set(nextUncounted);
        nextCount.write(nextUncounted);
      } else {
        nextCount.clear();
        expireTimer.set(latest(all).plus(retention));
      }
    }

    @OnTimer("expire")
    public void onExpire(
        @StateId("recent") BagState<Transaction> recent,
        @StateId("countedUpTo") ValueState<Instant> countedUpTo,
        @StateId("nextCount") ValueState<Instant> nextCount) {
      if (nextCount.read() == null) {
        recent.clear();
        countedUpTo.clear();
      }
    }

    /** Transactions with event time in (t - window, t]. */
    private int countWithin(List<Transaction> all, Instant t) {
      Instant from = t.minus(window);
      int n = 0;
      for (Transaction other : all) {
        Instant o = other.eventTime();
        if (o.isAfter(from) && !o.isAfter(t)) {
          n++;
        }
      }
      return n;
    }

    private static Instant latest(List<Transaction> all) {
      Instant latest = all.get(0).eventTime();
      for (Transaction txn : all) {
        if (txn.eventTime().isAfter(latest)) {
          latest = txn.eventTime();
        }
      }
      return latest;
    }
  }
}
