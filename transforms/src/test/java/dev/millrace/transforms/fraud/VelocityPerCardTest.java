package dev.millrace.transforms.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.Transaction;
import dev.millrace.model.TransactionCoder;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.testing.Counters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The velocity count is exact in event time: (t - 60 s, t], ties included, whatever the arrival order. */
@ExtendWith(BeamPipelineExtension.class)
class VelocityPerCardTest {
  static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  static Transaction txn(String id, String card, long millis) {
    return new Transaction(id, T0.plus(millis), "a1", card, "m1", "5411", 10, "EUR", "DE", "pos");
  }

  static TimestampedValue<Transaction> at(Transaction t) {
    return TimestampedValue.of(t, t.eventTime());
  }

  // Card c1 at 0, 10, ..., 50 s, two at 60 s, then 119.999 s and 120 s; card c2 once at 50 s.
  static final Transaction S0 = txn("s0", "c1", 0);
  static final Transaction S10 = txn("s10", "c1", 10_000);
  static final Transaction S20 = txn("s20", "c1", 20_000);
  static final Transaction S30 = txn("s30", "c1", 30_000);
  static final Transaction S40 = txn("s40", "c1", 40_000);
  static final Transaction S50 = txn("s50", "c1", 50_000);
  static final Transaction S60A = txn("s60a", "c1", 60_000);
  static final Transaction S60B = txn("s60b", "c1", 60_000);
  static final Transaction S119 = txn("s119.999", "c1", 119_999);
  static final Transaction S120 = txn("s120", "c1", 120_000);
  static final Transaction OTHER = txn("other", "c2", 50_000);

  /** Counted by hand from the rule. */
  static final List<String> EXPECTED = List.of(
      "s0=1", "s10=2", "s20=3", "s30=4", "s40=5", "s50=6",
      // 0 s is exactly 60 s before: outside (t - 60 s, t]. Both 60 s transactions count each other.
      "s60a=7", "s60b=7",
      // (59.999, 119.999] holds both 60 s transactions; (60, 120] holds neither.
      "s119.999=3", "s120=2",
      "other=1");

  static PCollection<String> counts(PCollection<Transaction> transactions) {
    return counts(transactions, false);
  }

  /** With {@code ticks}, the way for runners without event-time timers (Spark streaming). */
  static PCollection<String> counts(PCollection<Transaction> transactions, boolean ticks) {
    VelocityPerCard velocity = VelocityPerCard.within(Duration.standardSeconds(60));
    return transactions
        .apply(ticks ? velocity.withWatermarkTicks() : velocity)
        .apply(MapElements.into(TypeDescriptors.strings())
            .via(s -> s.transaction().txnId() + "=" + s.recentOnCard()));
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void streamingCountsAreExactWhateverTheArrivalOrder(boolean ticks, TestPipeline p) {
    TestStream<Transaction> stream =
        TestStream.create(TransactionCoder.of())
            .advanceWatermarkTo(T0)
            .addElements(at(S50), at(S10), at(S60A), at(S0), at(S30), at(OTHER), at(S20))
            .advanceWatermarkTo(T0.plus(Duration.standardSeconds(35)))
            // Out of order, but none behind the watermark; 0..30 s were counted before these came.
            .addElements(at(S120), at(S40), at(S60B), at(S119))
            .advanceWatermarkToInfinity();
    PAssert.that(counts(p.apply(stream), ticks)).containsInAnyOrder(EXPECTED);
    p.run().waitUntilFinish();
  }

  /** Grouped by a GroupByKey (the default off Flink) or gathered in state (Flink's way). */
  @ParameterizedTest(name = "swept from state: {0}")
  @ValueSource(booleans = {false, true})
  void boundedCountsAreTheSame(boolean inState, TestPipeline p) {
    List<TimestampedValue<Transaction>> all = new ArrayList<>();
    for (Transaction t : List.of(S120, S50, S0, S60B, S10, S119, S30, S60A, S40, S20, OTHER)) {
      all.add(at(t));
    }
    PCollection<ScoredTransaction> scored = p.apply(Create.timestamped(all).withCoder(TransactionCoder.of()))
        .apply(VelocityPerCard.within(Duration.standardSeconds(60)).withBoundedSweepInState(inState));
    PAssert.that(scored.apply("AsCounts", MapElements.into(TypeDescriptors.strings())
            .via(s -> s.transaction().txnId() + "=" + s.recentOnCard())))
        .containsInAnyOrder(EXPECTED);
    // Each verdict carries its transaction's time, for the windows after it.
    PAssert.that(scored.apply(Reify.timestamps()).apply("TimestampIsTheTransactions", MapElements.into(TypeDescriptors.booleans())
            .via(tv -> tv.getTimestamp().equals(tv.getValue().transaction().eventTime()))))
        .satisfies(same -> {
          assertThat(same).as("whether each verdict's timestamp is its transaction's").containsOnly(true);
          return null;
        });
    p.run().waitUntilFinish();
  }

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void aLateTransactionIsCountedAgainstTheKeptHistoryAndCounted(boolean ticks, TestPipeline p) {
    Transaction late = txn("late100", "c1", 100_000);
    TestStream<Transaction> stream =
        TestStream.create(TransactionCoder.of())
            .advanceWatermarkTo(T0)
            .addElements(at(S50), at(S60A), at(S60B), at(S119))
            .advanceWatermarkTo(T0.plus(Duration.standardSeconds(200)))
            .addElements(at(late))
            .advanceWatermarkToInfinity();
    PAssert.that(counts(p.apply(stream), ticks))
        // (40, 100]: 50, 60, 60 and itself. 119.999 was counted before it arrived, and stays so.
        .containsInAnyOrder("s50=1", "s60a=3", "s60b=3", "s119.999=3", "late100=4");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(Counters.attempted(result, VelocityPerCard.LATE_TRANSACTIONS)).isEqualTo(1);
  }

  /**
   * The sweep's order: by event time, ties in list order (as a stable sort), on the packed-long path
   * and on the comparator path a span of centuries takes.
   */
  @Test
  void inTimeOrderIsAStableSortByEventTime() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      int n = 1 + random.nextInt(300);
      boolean huge = round % 10 == 0;
      List<Transaction> card = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        // Few distinct times, so that ties are common; now and then a time far off.
        long millis = huge && i == n / 2 ? (1L << 61) : random.nextInt(20) * 1_000L - 5_000L;
        card.add(new Transaction("t" + i, new Instant(T0.getMillis() + millis), "a1", "c1", "m1", "5411", 10, "EUR",
            "DE", "pos"));
      }
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        expected.add(i);
      }
      expected.sort(Comparator.comparingLong(i -> card.get(i).eventTime().getMillis()));
      long[] times = new long[n];
      int[] order = VelocityPerCard.inTimeOrder(card, times);
      for (int k = 0; k < n; k++) {
        assertThat(order[k]).as("position %s of round %s", k, round).isEqualTo(expected.get(k));
        assertThat(times[k]).isEqualTo(card.get(expected.get(k)).eventTime().getMillis());
      }
    }
  }
}
