package dev.millrace.transforms.fraud;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;
import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkState;

import dev.millrace.model.Accounting;
import dev.millrace.model.Transaction;
import dev.millrace.model.TransactionCoder;
import dev.millrace.model.reference.AccountTable;
import dev.millrace.model.reference.AccountTableCoder;
import dev.millrace.transforms.runners.RunnerCapabilities;
import dev.millrace.transforms.runners.WatermarkTicks;
import dev.millrace.transforms.window.EmitsAtEventTimeFn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.join.UnionCoder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Counts, for each transaction at event time t, the transactions of the same card with event time
 * in {@code (t - window, t]}, itself and ties included: exact in event time however the records
 * arrive (out of order, across shards), because a transaction is counted only once the watermark
 * has passed t, when every earlier transaction of its card is in.
 *
 * <p>Streaming: cards are spread over {@value #SHARDS} keys. Per key, each card's recent
 * transactions (a map), the transactions not yet counted, and one event-time timer on the whole
 * second after the earliest of them, holding the output watermark at that transaction. When the
 * watermark passes that second T, every waiting transaction at or before T is counted and emitted
 * with its own timestamp, history older than {@code T - window - allowedLateness} is dropped from the
 * cards it touched, and the timer moves on; a periodic timer drops the history of quiet cards. So a
 * verdict waits for the watermark plus at most a second. A transaction that arrives behind what its
 * key already counted (late) is counted at once against the kept history and counted as {@code
 * velocity_late_transactions}: exact while the history still holds its window (within the allowed
 * lateness), but earlier verdicts it would have changed stay as they were emitted. In the global
 * window.
 *
 * <p>A bounded input takes a cheaper, equally exact path: each card's transactions grouped, sorted
 * by event time and swept once (a timer per card and transaction is slow on some runners).
 */
public final class VelocityPerCard extends PTransform<PCollection<Transaction>, PCollection<ScoredTransaction>> {
  public static final String LATE_TRANSACTIONS = "velocity_late_transactions";
  /** Cards are spread over this many keys: a key (and timers) per card is slow on some runners. */
  static final int SHARDS = 64;

  private final Duration window;
  private final Duration allowedLateness;
  private final boolean watermarkTicks;
  private final @Nullable Boolean boundedSweepInState;
  private final ApplyRules.@Nullable Scorer scorer;

  private VelocityPerCard(Duration window, Duration allowedLateness, boolean watermarkTicks,
      @Nullable Boolean boundedSweepInState, ApplyRules.@Nullable Scorer scorer) {
    this.window = window;
    this.allowedLateness = allowedLateness;
    this.watermarkTicks = watermarkTicks;
    this.boundedSweepInState = boundedSweepInState;
    this.scorer = scorer;
  }

  /** Counts within {@code window} (the velocity rule's, 60 s by default). */
  public static VelocityPerCard within(Duration window) {
    checkArgument(window != null && window.isLongerThan(Duration.ZERO), "window must be positive, but was: %s", window);
    return new VelocityPerCard(window, Duration.standardMinutes(5), false, null, null);
  }

  /** How long a card's history is kept past the window for transactions that arrive late. */
  public VelocityPerCard withAllowedLateness(Duration lateness) {
    checkArgument(lateness != null && !lateness.isShorterThan(Duration.ZERO),
        "allowedLateness must be zero or positive, but was: %s", lateness);
    return new VelocityPerCard(window, lateness, watermarkTicks, boundedSweepInState, scorer);
  }

  /**
   * Counts unbounded input on watermark ticks (whole seconds of event time that the watermark has
   * passed) instead of event-time timers, on every runner; chosen anyway where the runner has no
   * such timers (Spark streaming, see {@link RunnerCapabilities}). The verdicts are the same; what
   * differs is the output watermark: without timers there is no hold, so on such a runner a
   * verdict comes after the watermark has passed its transaction, and windows downstream take it
   * as late (within their allowed lateness: a LATE pane).
   */
  public VelocityPerCard withWatermarkTicks() {
    return new VelocityPerCard(window, allowedLateness, true, boundedSweepInState, scorer);
  }

  /**
   * Bounded input: whether the shards' transactions are gathered in state and swept when the input
   * ends ({@link SweepAtEndFn}) rather than grouped by a GroupByKey and swept ({@link SweepFn}). By
   * default only where {@link RunnerCapabilities#groupsByKeyTwice} holds; the same counts either way.
   */
  VelocityPerCard withBoundedSweepInState(boolean inState) {
    return new VelocityPerCard(window, allowedLateness, watermarkTicks, inState, scorer);
  }

  /**
   * Bounded input only: each count goes straight to the rules in the sweep that makes it (see {@link
   * ScoreTransactions}), so the output is scored.
   */
  VelocityPerCard scoredBy(ApplyRules.Scorer scorer) {
    return new VelocityPerCard(window, allowedLateness, watermarkTicks, boundedSweepInState, scorer);
  }

  @Override
  public PCollection<ScoredTransaction> expand(PCollection<Transaction> transactions) {
    checkState(scorer == null || transactions.isBounded() == PCollection.IsBounded.BOUNDED,
        "only a bounded input is scored in the sweep");
    if (transactions.isBounded() == PCollection.IsBounded.BOUNDED) {
      // A bounded input is all there: group the cards' transactions (cards spread over a fixed
      // number of keys, not a key per card: a bundle per key is slow on the DirectRunner) and sweep
      // each card's in time order, instead of a timer per card and transaction. Fewer keys still on
      // the DirectRunner, which copies a key's whole group for each bundle that adds to it.
      int shards = RunnerCapabilities.keysForParallelism(transactions.getPipeline().getOptions(), SHARDS);
      boolean inState = boundedSweepInState != null ? boundedSweepInState
          : RunnerCapabilities.groupsByKeyTwice(transactions.getPipeline().getOptions());
      if (inState) {
        return keyByCardShard(transactions, shards)
            .apply("CountRecentInOrder", withScorerInput(ParDo.of(new SweepAtEndFn(window, scorer))))
            .setCoder(ScoredTransactionCoder.of());
      }
      return keyByCardShard(transactions, shards)
          .apply("EarliestTimestamp",
              Window.<KV<Integer, Transaction>>configure().withTimestampCombiner(TimestampCombiner.EARLIEST))
          .apply("GroupByCardShard", GroupByKey.create())
          .apply("CountRecentInOrder", withScorerInput(ParDo.of(new SweepFn(window, scorer))))
          .setCoder(ScoredTransactionCoder.of());
    }
    PCollection<KV<Integer, Transaction>> keyed = keyByCardShard(transactions, SHARDS);
    if (!watermarkTicks && RunnerCapabilities.eventTimeTimers(transactions)) {
      return keyed
          .apply("CountRecentPerCard", ParDo.of(new CountRecentFn(window, allowedLateness)))
          .setCoder(ScoredTransactionCoder.of());
    }
    Coder<KV<Integer, RawUnionValue>> unionCoder =
        KvCoder.of(VarIntCoder.of(), UnionCoder.of(List.of(TransactionCoder.of(), InstantCoder.of())));
    PCollection<KV<Integer, RawUnionValue>> ticks =
        transactions.apply(WatermarkTicks.NAME, WatermarkTicks.<Transaction>of(Duration.standardSeconds(1), SHARDS, TICK, unionCoder));
    PCollection<KV<Integer, RawUnionValue>> tagged =
        keyed.apply("AsTransactions", ParDo.of(new WatermarkTicks.TagFn<Transaction>(TRANSACTION))).setCoder(unionCoder);
    return PCollectionList.of(tagged).and(ticks)
        .apply("TransactionsAndTicks", Flatten.pCollections())
        .apply("CountRecentPerCard", ParDo.of(new CountRecentOnTicksFn(window, allowedLateness)))
        .setCoder(ScoredTransactionCoder.of());
  }

  private <InputT> ParDo.SingleOutput<InputT, ScoredTransaction> withScorerInput(
      ParDo.SingleOutput<InputT, ScoredTransaction> sweep) {
    return scorer == null ? sweep : sweep.withSideInputs(scorer.view());
  }

  /** Step "KeyByCardShard": each transaction keyed by a hash of its card over {@code shards} keys. */
  private static PCollection<KV<Integer, Transaction>> keyByCardShard(PCollection<Transaction> transactions, int shards) {
    return transactions
        .apply("KeyByCardShard",
            WithKeys.of((Transaction t) -> Math.floorMod(t.cardId().hashCode(), shards))
                .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), TransactionCoder.of()));
  }

  private static final int TRANSACTION = 0;
  private static final int TICK = 1;

  /**
   * {@link CountRecentFn} without timers: a tick at T (the watermark has passed T) counts every
   * waiting transaction at or before T, and, once T reaches the shard's next expiry, drops the
   * history of quiet cards.
   */
  static final class CountRecentOnTicksFn extends EmitsAtEventTimeFn<KV<Integer, RawUnionValue>, ScoredTransaction> {
    private final Duration window;
    private final Duration retention;
    private final Counter late = Accounting.counter(LATE_TRANSACTIONS);

    @StateId("cards")
    private final StateSpec<MapState<String, List<Transaction>>> cardsSpec =
        StateSpecs.map(StringUtf8Coder.of(), ListCoder.of(TransactionCoder.of()));

    @StateId("pending")
    private final StateSpec<BagState<Transaction>> pendingSpec = StateSpecs.bag(TransactionCoder.of());

    @StateId("countedUpTo")
    private final StateSpec<ValueState<Instant>> countedUpToSpec = StateSpecs.value(InstantCoder.of());

    @StateId("expireAt")
    private final StateSpec<ValueState<Instant>> expireAtSpec = StateSpecs.value(InstantCoder.of());

    CountRecentOnTicksFn(Duration window, Duration allowedLateness) {
      this.window = window;
      this.retention = window.plus(allowedLateness);
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, RawUnionValue> element,
        @StateId("cards") MapState<String, List<Transaction>> cards,
        @StateId("pending") BagState<Transaction> pending,
        @StateId("countedUpTo") ValueState<Instant> countedUpTo,
        @StateId("expireAt") ValueState<Instant> expireAt,
        OutputReceiver<ScoredTransaction> out) {
      if (element.getValue().getUnionTag() == TICK) {
        Instant now = (Instant) element.getValue().getValue();
        Instant counted = countedUpTo.read();
        if (counted == null || now.isAfter(counted)) {
          countUpTo(now, cards, pending, out);
          countedUpTo.write(now);
        }
        Instant at = expireAt.read();
        if (at != null && !now.isBefore(at)) {
          expireAt.clear();
          if (expireQuietCards(cards, now.minus(retention))) {
            expireAt.write(now.plus(retention));
          }
        }
        return;
      }
      Transaction txn = (Transaction) element.getValue().getValue();
      Instant t = txn.eventTime();
      List<Transaction> card = remember(txn, cards);
      if (expireAt.read() == null) {
        expireAt.write(tick(t).plus(retention));
      }
      if (!scoredLate(txn, card, countedUpTo.read(), window, late, out)) {
        pending.add(txn);
      }
    }

    private void countUpTo(
        Instant now, MapState<String, List<Transaction>> cards, BagState<Transaction> pending,
        OutputReceiver<ScoredTransaction> out) {
      List<Transaction> waiting = new ArrayList<>();
      Map<String, List<Transaction>> touched = new HashMap<>();
      boolean any = false;
      for (Transaction txn : pending.read()) {
        any = true;
        Instant t = txn.eventTime();
        if (t.isAfter(now)) {
          waiting.add(txn);
          continue;
        }
        List<Transaction> card = touched.computeIfAbsent(txn.cardId(), c -> orEmpty(cards.get(c).read()));
        out.outputWithTimestamp(new ScoredTransaction(txn, countWithin(window, card, t), List.of(), null), t);
      }
      if (!any) {
        return;
      }
      Instant horizon = now.minus(retention);
      touched.forEach((id, card) -> keepAfter(cards, id, card, horizon));
      pending.clear();
      waiting.forEach(pending::add);
    }
  }

  /** Adds the transaction to its card's kept history; returns that history. */
  static List<Transaction> remember(Transaction txn, MapState<String, List<Transaction>> cards) {
    List<Transaction> card = new ArrayList<>(orEmpty(cards.get(txn.cardId()).read()));
    card.add(txn);
    cards.put(txn.cardId(), card);
    return card;
  }

  /**
   * A transaction behind what its shard already counted (late) is counted at once against the card's
   * kept history, and counted as late; true if so.
   */
  static boolean scoredLate(Transaction txn, List<Transaction> card, @Nullable Instant countedUpTo, Duration window,
      Counter late, DoFn.OutputReceiver<ScoredTransaction> out) {
    Instant t = txn.eventTime();
    if (countedUpTo == null || t.isAfter(countedUpTo)) {
      return false;
    }
    late.inc();
    out.outputWithTimestamp(new ScoredTransaction(txn, countWithin(window, card, t), List.of(), null), t);
    return true;
  }

  /** Drops what no transaction can still count from every card; true if any card is left. */
  static boolean expireQuietCards(MapState<String, List<Transaction>> cards, Instant horizon) {
    boolean any = false;
    for (Map.Entry<String, List<Transaction>> entry : cards.entries().read()) {
      any |= keepAfter(cards, entry.getKey(), entry.getValue(), horizon);
    }
    return any;
  }

  /** All transactions of some cards: per card, sorted by event time, each counted with two pointers. */
  static final class SweepFn extends DoFn<KV<Integer, Iterable<Transaction>>, ScoredTransaction> {
    private final Duration window;
    private final ApplyRules.@Nullable Scorer scorer;

    SweepFn(Duration window, ApplyRules.@Nullable Scorer scorer) {
      this.window = window;
      this.scorer = scorer;
    }

    @StartBundle
    public void startBundle() {
      if (scorer != null) {
        scorer.startBundle();
      }
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Transaction>> shard, BoundedWindow boundedWindow,
        ProcessContext context, OutputReceiver<ScoredTransaction> out) {
      sweepByCard(window, shard.getValue(), scorer, scorer == null ? null : scorer.table(context, boundedWindow), out);
    }

    @FinishBundle
    public void finishBundle() {
      if (scorer != null) {
        scorer.finishBundle();
      }
    }
  }

  /**
   * {@link SweepFn} for a stateful step: the shard's transactions wait in a bag until the input ends,
   * then are swept. Beam's Flink runner groups a bounded GroupByKey twice (values sorted and
   * concatenated into lists before the shuffle, and again after it), a stateful step once: 8% of
   * fraud-detection's CPU on Flink, 1M transactions. The end timer holds the output watermark at the
   * start of time until it fires, so no window after this step takes the verdicts (at their
   * transactions' times) as late; not a hold at the earliest transaction: Flink's batch timers kept
   * the first output timestamp a timer was set with, not the one it was set with last.
   */
  static final class SweepAtEndFn extends EmitsAtEventTimeFn<KV<Integer, Transaction>, ScoredTransaction> {
    private final Duration window;
    private final ApplyRules.@Nullable Scorer scorer;

    @StateId("transactions")
    private final StateSpec<BagState<Transaction>> transactionsSpec = StateSpecs.bag(TransactionCoder.of());

    /** The account data as the shard's first transaction saw it: a timer callback has no side inputs. */
    @StateId("accounts")
    private final StateSpec<ValueState<AccountTable>> accountsSpec = StateSpecs.value(AccountTableCoder.of());

    @TimerId("end")
    private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    SweepAtEndFn(Duration window, ApplyRules.@Nullable Scorer scorer) {
      this.window = window;
      this.scorer = scorer;
    }

    @StartBundle
    public void startBundle() {
      if (scorer != null) {
        scorer.startBundle();
      }
    }

    @ProcessElement
    public void process(
        ProcessContext context,
        BoundedWindow boundedWindow,
        @StateId("transactions") BagState<Transaction> transactions,
        @StateId("accounts") ValueState<AccountTable> accounts,
        @TimerId("end") Timer end) {
      // Set once per shard, by its first transaction: setting a timer per element (the same one
      // again) was a tenth of this step on Flink.
      if (transactions.isEmpty().read()) {
        end.withOutputTimestamp(BoundedWindow.TIMESTAMP_MIN_VALUE).set(boundedWindow.maxTimestamp());
        if (scorer != null) {
          accounts.write(scorer.table(context, boundedWindow));
        }
      }
      transactions.add(context.element().getValue());
    }

    @OnTimer("end")
    public void onEnd(
        @StateId("transactions") BagState<Transaction> transactions,
        @StateId("accounts") ValueState<AccountTable> accounts,
        OutputReceiver<ScoredTransaction> out) {
      sweepByCard(window, transactions.read(), scorer, scorer == null ? null : accounts.read(), out);
      transactions.clear();
      accounts.clear();
    }

    @FinishBundle
    public void finishBundle() {
      if (scorer != null) {
        scorer.finishBundle();
      }
    }
  }

  /**
   * Counts each transaction of a shard against its card's others within {@code window}, and scores
   * each count with {@code scorer} against {@code accounts} when there is one.
   */
  static void sweepByCard(Duration window, Iterable<Transaction> shard, ApplyRules.@Nullable Scorer scorer,
      @Nullable AccountTable accounts, DoFn.OutputReceiver<ScoredTransaction> out) {
    Map<String, List<Transaction>> byCard = new HashMap<>();
    for (Transaction txn : shard) {
      byCard.computeIfAbsent(txn.cardId(), c -> new ArrayList<>()).add(txn);
    }
    for (List<Transaction> card : byCard.values()) {
      sweep(window, card, scorer, accounts, out);
    }
  }

  private static void sweep(Duration window, List<Transaction> card, ApplyRules.@Nullable Scorer scorer,
      @Nullable AccountTable accounts, DoFn.OutputReceiver<ScoredTransaction> out) {
    int n = card.size();
    long[] times = new long[n];
    int[] order = inTimeOrder(card, times);
    long windowMillis = window.getMillis();
    int from = 0;
    int to = 0;
    for (int k = 0; k < n; k++) {
      long t = times[k];
      // [from, to): the transactions in (t - window, t], ties at t included.
      while (to < n && times[to] <= t) {
        to++;
      }
      while (times[from] <= t - windowMillis) {
        from++;
      }
      Transaction txn = card.get(order[k]);
      int recent = to - from;
      out.outputWithTimestamp(scorer == null ? new ScoredTransaction(txn, recent, List.of(), null)
          : scorer.score(txn, recent, accounts), txn.eventTime());
    }
  }

  /**
   * The card's positions in event-time order (ties in their order in the list), and into {@code times}
   * their event times in that order. Sorted as longs, each (time - earliest) shifted left over the
   * bits of its position: sorting the objects through a comparator was a fifth of the bounded sweep on
   * Flink. A card whose times span too much for that (centuries) is sorted the slow way.
   */
  static int[] inTimeOrder(List<Transaction> card, long[] times) {
    int n = card.size();
    long earliest = Long.MAX_VALUE;
    long latest = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      long t = card.get(i).eventTime().getMillis();
      times[i] = t;
      earliest = Math.min(earliest, t);
      latest = Math.max(latest, t);
    }
    int positionBits = n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    long span = latest - earliest;
    int[] order = new int[n];
    if (n == 0 || span < 0 || 64 - Long.numberOfLeadingZeros(span) + positionBits > 63) {
      Integer[] boxed = new Integer[n];
      for (int i = 0; i < n; i++) {
        boxed[i] = i;
      }
      long[] unsorted = times.clone();
      Arrays.sort(boxed, Comparator.comparingLong(i -> unsorted[i]));
      for (int k = 0; k < n; k++) {
        order[k] = boxed[k];
        times[k] = unsorted[boxed[k]];
      }
      return order;
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = ((times[i] - earliest) << positionBits) | i;
    }
    Arrays.sort(keys);
    long positionMask = (1L << positionBits) - 1;
    for (int k = 0; k < n; k++) {
      order[k] = (int) (keys[k] & positionMask);
      times[k] = earliest + (keys[k] >>> positionBits);
    }
    return order;
  }

  static final class CountRecentFn extends DoFn<KV<Integer, Transaction>, ScoredTransaction> {
    private final Duration window;
    private final Duration retention;
    private final Counter late = Accounting.counter(LATE_TRANSACTIONS);

    /** Each card's recent transactions (counted or not), within the retention. */
    @StateId("cards")
    private final StateSpec<MapState<String, List<Transaction>>> cardsSpec =
        StateSpecs.map(StringUtf8Coder.of(), ListCoder.of(TransactionCoder.of()));

    /** Transactions not yet counted. */
    @StateId("pending")
    private final StateSpec<BagState<Transaction>> pendingSpec = StateSpecs.bag(TransactionCoder.of());

    /** Every transaction of this shard at or before this has been counted. */
    @StateId("countedUpTo")
    private final StateSpec<ValueState<Instant>> countedUpToSpec = StateSpecs.value(InstantCoder.of());

    /** The earliest pending time: the count timer's watermark hold; null when nothing waits. */
    @StateId("nextCount")
    private final StateSpec<ValueState<Instant>> nextCountSpec = StateSpecs.value(InstantCoder.of());

    @StateId("expireAt")
    private final StateSpec<ValueState<Instant>> expireAtSpec = StateSpecs.value(InstantCoder.of());

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
        @Element KV<Integer, Transaction> element,
        @StateId("cards") MapState<String, List<Transaction>> cards,
        @StateId("pending") BagState<Transaction> pending,
        @StateId("countedUpTo") ValueState<Instant> countedUpTo,
        @StateId("nextCount") ValueState<Instant> nextCount,
        @StateId("expireAt") ValueState<Instant> expireAt,
        @TimerId("count") Timer countTimer,
        @TimerId("expire") Timer expireTimer,
        OutputReceiver<ScoredTransaction> out) {
      Transaction txn = element.getValue();
      Instant t = txn.eventTime();
      List<Transaction> card = remember(txn, cards);
      if (expireAt.read() == null) {
        Instant at = tick(t).plus(retention);
        expireTimer.set(at);
        expireAt.write(at);
      }
      if (scoredLate(txn, card, countedUpTo.read(), window, late, out)) {
        return;
      }
      pending.add(txn);
      Instant next = nextCount.read();
      if (next == null || t.isBefore(next)) {
        // Fire on the next whole second (one firing per shard and second, not per transaction),
        // holding the output watermark at the earliest waiting transaction.
        countTimer.withOutputTimestamp(t).set(tick(t));
        nextCount.write(t);
      }
    }

    @OnTimer("count")
    public void onCount(
        OnTimerContext context,
        @StateId("cards") MapState<String, List<Transaction>> cards,
        @StateId("pending") BagState<Transaction> pending,
        @StateId("countedUpTo") ValueState<Instant> countedUpTo,
        @StateId("nextCount") ValueState<Instant> nextCount,
        @TimerId("count") Timer countTimer) {
      // The watermark has passed `now`: every transaction of the shard at or before it is in.
      Instant now = context.fireTimestamp();
      List<Transaction> waiting = new ArrayList<>();
      Instant nextUncounted = null;
      Map<String, List<Transaction>> touched = new HashMap<>();
      for (Transaction txn : pending.read()) {
        Instant t = txn.eventTime();
        if (t.isAfter(now)) {
          waiting.add(txn);
          nextUncounted = nextUncounted == null || t.isBefore(nextUncounted) ? t : nextUncounted;
          continue;
        }
        List<Transaction> card = touched.computeIfAbsent(txn.cardId(), c -> orEmpty(cards.get(c).read()));
        context.outputWithTimestamp(new ScoredTransaction(txn, countWithin(window, card, t), List.of(), null), t);
      }
      countedUpTo.write(now);
      Instant horizon = now.minus(retention);
      touched.forEach((id, card) -> keepAfter(cards, id, card, horizon));
      pending.clear();
      waiting.forEach(pending::add);
      if (nextUncounted != null) {
        countTimer.withOutputTimestamp(nextUncounted).set(tick(nextUncounted));
        nextCount.write(nextUncounted);
      } else {
        nextCount.clear();
      }
    }

    @OnTimer("expire")
    public void onExpire(
        OnTimerContext context,
        @StateId("cards") MapState<String, List<Transaction>> cards,
        @StateId("expireAt") ValueState<Instant> expireAt,
        @TimerId("expire") Timer expireTimer) {
      // Cards that went quiet: drop what no transaction can still count.
      Instant now = context.fireTimestamp();
      Instant horizon = now.minus(retention);
      if (expireQuietCards(cards, horizon)) {
        Instant at = now.plus(retention);
        expireTimer.set(at);
        expireAt.write(at);
      } else {
        expireAt.clear();
      }
    }
  }

  /** Keeps a card's transactions after {@code horizon}; true if any are left. */
  static boolean keepAfter(
      MapState<String, List<Transaction>> cards, String id, List<Transaction> card, Instant horizon) {
    List<Transaction> kept = new ArrayList<>(card.size());
    for (Transaction txn : card) {
      if (txn.eventTime().isAfter(horizon)) {
        kept.add(txn);
      }
    }
    if (kept.isEmpty()) {
      cards.remove(id);
      return false;
    }
    if (kept.size() < card.size()) {
      cards.put(id, kept);
    }
    return true;
  }

  static List<Transaction> orEmpty(List<Transaction> card) {
    return card == null ? List.of() : card;
  }

  /** The next whole second at or after t. */
  static Instant tick(Instant t) {
    long millis = t.getMillis();
    return new Instant(millis - Math.floorMod(millis, 1000L) + (Math.floorMod(millis, 1000L) == 0 ? 0 : 1000));
  }

  /** Transactions with event time in (t - window, t]. */
  static int countWithin(Duration window, List<Transaction> all, Instant t) {
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
}
