package dev.millrace.transforms.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.model.Accounting;
import dev.millrace.model.Transaction;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.testing.Counters;
import dev.millrace.transforms.window.Windowing;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Per window: transactions, flagged, the flagged amount summed exactly, one count per reason; panes. */
@ExtendWith(BeamPipelineExtension.class)
class FraudStatsPerWindowTest {
  static final String DAY = "2026-11-27T";

  static Instant t(String time) {
    return Instant.parse(DAY + time + "Z");
  }

  static TimestampedValue<ScoredTransaction> scored(String id, String time, double amount, String... reasons) {
    Transaction txn = new Transaction(id, t(time), "a1", "c1", "m1", "5411", amount, "EUR", "DE", "pos");
    return TimestampedValue.of(new ScoredTransaction(txn, 1, List.of(reasons), "low"), t(time));
  }

  /** Counts in the order: unknown_account, amount_spike, foreign_country, new_merchant_category, velocity. */
  static FraudStats stats(String start, String end, long transactions, long flagged, double flaggedAmount,
      long unknown, long spike, long foreign, long newMcc, long velocity, long paneIndex, String timing) {
    return FraudStats.builder()
        .setWindowStart(t(start))
        .setWindowEnd(t(end))
        .setTransactions(transactions)
        .setFlagged(flagged)
        .setFlaggedAmount(flaggedAmount)
        .setUnknownAccount(unknown)
        .setAmountSpike(spike)
        .setForeignCountry(foreign)
        .setNewMerchantCategory(newMcc)
        .setVelocity(velocity)
        .setPaneIndex(paneIndex)
        .setPaneTiming(timing)
        .build();
  }

  @Test
  void countsPerReasonAndTheFlaggedAmountExactlyPerWindow(TestPipeline p) {
    PCollection<FraudStats> stats = p
        .apply(Create.timestamped(List.of(
                scored("t1", "10:00:05", 0.1, FraudRules.FOREIGN_COUNTRY, FraudRules.VELOCITY),
                scored("t2", "10:00:10", 0.2, FraudRules.AMOUNT_SPIKE, FraudRules.NEW_MERCHANT_CATEGORY,
                    FraudRules.UNKNOWN_ACCOUNT, FraudRules.VELOCITY),
                // Not flagged: counted as a transaction, its amount is not in flagged_amount.
                scored("t3", "10:00:20", 50),
                scored("t4", "10:00:59.999", 7),
                // Exactly at the first window's end: the second window.
                scored("t5", "10:01:00", 3.3, FraudRules.FOREIGN_COUNTRY),
                scored("t6", "10:01:30", 1234567.891234, FraudRules.AMOUNT_SPIKE)))
            .withCoder(ScoredTransactionCoder.of()))
        .apply(FraudStatsPerWindow.of(Windowing.fixed(Duration.standardMinutes(1)).withLateFiringDelay(Duration.ZERO)));

    PAssert.that(stats).containsInAnyOrder(
        // 0.1 + 0.2 is exactly 0.3 (as doubles it would be 0.30000000000000004 in either order).
        stats("10:00:00", "10:01:00", 4, 2, 0.3, 1, 1, 1, 1, 2, 0, "ON_TIME"),
        // 3.3 + 1234567.891234 = 1234571.191234, to the millionth.
        stats("10:01:00", "10:02:00", 2, 2, 1234571.191234, 0, 1, 1, 0, 0, 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Test
  void aWindowWithoutFlaggedTransactionsHasZeroes(TestPipeline p) {
    PCollection<FraudStats> stats = p
        .apply(Create.timestamped(List.of(scored("t1", "10:00:05", 10), scored("t2", "10:00:06", 20)))
            .withCoder(ScoredTransactionCoder.of()))
        .apply(FraudStatsPerWindow.of(Windowing.fixed(Duration.standardMinutes(1)).withLateFiringDelay(Duration.ZERO)));

    PAssert.that(stats).containsInAnyOrder(stats("10:00:00", "10:01:00", 2, 0, 0.0, 0, 0, 0, 0, 0, 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Test
  void onTimeThenLateKeptThenLateDropped(TestPipeline p) {
    TestStream<ScoredTransaction> stream =
        TestStream.create(ScoredTransactionCoder.of())
            .advanceWatermarkTo(t("10:00:00"))
            .addElements(
                scored("t1", "10:00:05", 0.1, FraudRules.VELOCITY),
                scored("t2", "10:00:10", 5))
            .advanceWatermarkTo(t("10:02:00"))
            // Within the 5 minutes of lateness (until 10:06): a LATE pane, accumulated.
            .addElements(scored("t3", "10:00:30", 0.2, FraudRules.UNKNOWN_ACCOUNT))
            .advanceWatermarkTo(t("10:07:00"))
            // Past 10:06: dropped and counted.
            .addElements(scored("t4", "10:00:40", 99, FraudRules.AMOUNT_SPIKE))
            .advanceWatermarkToInfinity();

    PCollection<FraudStats> stats = p.apply(stream).apply(FraudStatsPerWindow.of(Windowing.fixed(Duration.standardMinutes(1)).withLateFiringDelay(Duration.ZERO)));

    PAssert.that(stats).containsInAnyOrder(
        stats("10:00:00", "10:01:00", 2, 1, 0.1, 0, 0, 0, 0, 1, 0, "ON_TIME"),
        stats("10:00:00", "10:01:00", 3, 2, 0.3, 1, 0, 0, 0, 1, 1, "LATE"));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(Counters.attempted(result, Accounting.DROPPED_DUE_TO_LATENESS)).isEqualTo(1);
  }

  @Test
  void aLateFiringDelayBatchesLateTransactionsIntoOnePane(TestPipeline p) {
    TestStream<ScoredTransaction> stream =
        TestStream.create(ScoredTransactionCoder.of())
            .advanceWatermarkTo(t("10:00:00"))
            .addElements(scored("t1", "10:00:05", 1))
            .advanceWatermarkTo(t("10:02:00"))
            .addElements(scored("t2", "10:00:10", 2.5, FraudRules.VELOCITY))
            .addElements(scored("t3", "10:00:20", 0.25, FraudRules.VELOCITY, FraudRules.FOREIGN_COUNTRY))
            .advanceProcessingTime(Duration.standardSeconds(11))
            .advanceWatermarkToInfinity();

    PCollection<FraudStats> stats = p.apply(stream)
        .apply(FraudStatsPerWindow.of(Windowing.fixed(Duration.standardMinutes(1)).withLateFiringDelay(Duration.standardSeconds(10))));

    PAssert.that(stats).containsInAnyOrder(
        stats("10:00:00", "10:01:00", 1, 0, 0.0, 0, 0, 0, 0, 0, 0, "ON_TIME"),
        stats("10:00:00", "10:01:00", 3, 2, 2.75, 0, 0, 1, 0, 2, 1, "LATE"));
    p.run().waitUntilFinish();
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> FraudStatsPerWindow.of(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FraudStatsPerWindow.of(Windowing.sessions(Duration.standardMinutes(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fraud statistics need fixed windows");
  }
}
