package dev.millrace.transforms.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.Transaction;
import dev.millrace.model.TransactionCoder;
import dev.millrace.model.reference.Account;
import dev.millrace.model.reference.AccountTable;
import dev.millrace.model.reference.AccountTableCoder;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.testing.Counters;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(BeamPipelineExtension.class)
class ScoreTransactionsTest {
  static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  static Account account(String id, String home, double avg, double stddev, String tier, String... mccs) {
    return new Account(id, home, avg, stddev, 50, List.of(mccs), "2020-01-01", tier);
  }

  static Transaction txn(String id, String account, double amount, String mcc, String country, String channel) {
    return new Transaction(id, T0, account, "card-" + account, "m1", mcc, amount, "EUR", country, channel);
  }

  @Test
  void eachRuleAtItsThreshold() {
    FraudRules rules = FraudRules.defaults();
    Account a = account("a1", "DE", 50, 20, "low", "5411", "5812");
    // Spike: > 50 + 4 * 20 = 130 and > 100.
    assertThat(rules.reasons(txn("t", "a1", 130, "5411", "DE", "pos"), a, 1)).isEmpty();
    assertThat(rules.reasons(txn("t", "a1", 130.01, "5411", "DE", "pos"), a, 1)).containsExactly("amount_spike");
    Account small = account("a2", "DE", 10, 5, "low", "5411");
    assertThat(rules.reasons(txn("t", "a2", 99, "5411", "DE", "pos"), small, 1)).isEmpty();
    // Abroad only counts at the point of sale.
    assertThat(rules.reasons(txn("t", "a1", 20, "5411", "FR", "ecom"), a, 1)).isEmpty();
    assertThat(rules.reasons(txn("t", "a1", 20, "5411", "FR", "pos"), a, 1)).containsExactly("foreign_country");
    // New category: unknown mcc and > 3 * 50.
    assertThat(rules.reasons(txn("t", "a1", 150, "7011", "DE", "ecom"), a, 1)).containsExactly("amount_spike");
    assertThat(rules.reasons(txn("t", "a1", 150.5, "7011", "DE", "ecom"), a, 1))
        .containsExactly("amount_spike", "new_merchant_category");
    assertThat(rules.reasons(txn("t", "a1", 20, "7011", "DE", "atm"), a, 1)).isEmpty();
    // Velocity: 6 or more; unknown account; several at once, sorted.
    assertThat(rules.reasons(txn("t", "a1", 20, "5411", "DE", "pos"), a, 5)).isEmpty();
    assertThat(rules.reasons(txn("t", "a1", 20, "5411", "DE", "pos"), a, 6)).containsExactly("velocity");
    assertThat(rules.reasons(txn("t", "zz", 5000, "7011", "FR", "pos"), null, 9))
        .containsExactly("unknown_account", "velocity");
    assertThat(rules.withSpikeStddevs(1).withVelocity(2, Duration.standardSeconds(10))
        .reasons(txn("t", "a1", 101, "5411", "DE", "pos"), a, 2)).containsExactly("amount_spike", "velocity");
  }

  /**
   * A bounded input is counted and scored in one step, its counts swept from a GroupByKey or (Flink's
   * way) from state: the verdicts must be those of counting (t - 60 s, t] and applying every rule,
   * worked out by hand, each at its transaction's time, and every one counted once.
   */
  @ParameterizedTest(name = "swept from state: {0}")
  @ValueSource(booleans = {false, true})
  void aBoundedInputIsCountedAndScoredInOneStep(boolean inState, TestPipeline p) {
    List<TimestampedValue<Transaction>> all = new ArrayList<>();
    for (Transaction t : List.of(
        at("t90", "a1", 20, "DE", 90_000), at("t0", "a1", 20, "DE", 0), at("t20", "a1", 20, "FR", 20_000),
        at("t10", "a1", 20, "DE", 10_000), at("t60", "a1", 500, "DE", 60_000), at("z5", "zz", 20, "DE", 5_000))) {
      all.add(TimestampedValue.of(t, t.eventTime()));
    }
    PCollectionView<Iterable<AccountTable>> accounts =
        p.apply("Accounts", Create.of(List.of(table("table:v1"))).withCoder(AccountTableCoder.of()))
            .apply(View.asIterable());
    PCollection<ScoredTransaction> scored =
        p.apply("Transactions", Create.timestamped(all).withCoder(TransactionCoder.of()))
            .apply(ScoreTransactions.against(accounts)
                .withRules(FraudRules.defaults().withVelocity(3, Duration.standardSeconds(60)))
                .withBoundedSweepInState(inState));
    PAssert.that(scored.apply("Verdicts", MapElements.into(TypeDescriptors.strings())
            .via(s -> s.transaction().txnId() + ":" + s.recentOnCard() + ":" + s.reasons() + ":" + s.riskTier())))
        .containsInAnyOrder(
            "t0:1:[]:low", "t10:2:[]:low",
            // The third within 60 s, at the point of sale abroad.
            "t20:3:[foreign_country, velocity]:low",
            // (0, 60]: 10, 20 and itself; 500 > 50 + 4 * 20 and > 100.
            "t60:3:[amount_spike, velocity]:low",
            // (30, 90]: 60 and itself.
            "t90:2:[]:low",
            "z5:1:[unknown_account]:null");
    PAssert.that(scored.apply(Reify.timestamps()).apply("TimestampIsTheTransactions",
            MapElements.into(TypeDescriptors.booleans())
                .via(tv -> tv.getTimestamp().equals(tv.getValue().transaction().eventTime()))))
        .satisfies(same -> {
          assertThat(same).as("whether each verdict's timestamp is its transaction's").containsOnly(true);
          return null;
        });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(Counters.committed(result, ScoreTransactions.SCORED)).isEqualTo(6);
    assertThat(Counters.committed(result, ScoreTransactions.FLAGGED)).isEqualTo(3);
  }

  static Transaction at(String id, String account, double amount, String country, long millis) {
    return new Transaction(id, T0.plus(millis), account, "card-" + account, "m1", "5411", amount, "EUR", country, "pos");
  }

  /**
   * A reload in the middle of the stream: transactions scored before it keep the old table's
   * verdict, later ones get the new table's. Table versions and transactions come through one
   * TestStream, so their order is the test's, not the runner's.
   */
  @Test
  void aReferenceRefreshChangesTheVerdictOfLaterTransactionsOnly(TestPipeline p) {
    TestStream<String> stream =
        TestStream.create(StringUtf8Coder.of())
            .advanceWatermarkTo(T0)
            .addElements(TimestampedValue.of("table:v1", T0))
            .addElements(TimestampedValue.of("txn:t1", T0), TimestampedValue.of("txn:t2", T0))
            .advanceProcessingTime(Duration.standardSeconds(10))
            // v2: the account moved to France, and a2 appears.
            .addElements(TimestampedValue.of("table:v2", T0.plus(1000)))
            .advanceProcessingTime(Duration.standardSeconds(10))
            .addElements(TimestampedValue.of("txn:t3", T0.plus(2000)), TimestampedValue.of("txn:t4", T0.plus(2000)))
            .advanceWatermarkToInfinity();
    PCollection<String> input = p.apply(stream);
    PCollectionView<Iterable<AccountTable>> accounts =
        input
            .apply("Tables", Filter.by(s -> s.startsWith("table:")))
            .apply("ToTable", MapElements.into(TypeDescriptor.of(AccountTable.class)).via(ScoreTransactionsTest::table))
            .setCoder(AccountTableCoder.of())
            .apply(Window.<AccountTable>into(new GlobalWindows())
                .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                .discardingFiredPanes()
                .withAllowedLateness(Duration.ZERO))
            .apply(View.asIterable());
    PCollection<String> verdicts =
        input
            .apply("Transactions", Filter.by(s -> s.startsWith("txn:")))
            .apply("ToScored", MapElements.into(TypeDescriptor.of(ScoredTransaction.class))
                .via(s -> {
                  String id = s.substring(4);
                  String acct = id.equals("t2") || id.equals("t4") ? "a2" : "a1";
                  return new ScoredTransaction(txn(id, acct, 20, "5411", "FR", "pos"), 1, List.of(), null);
                }))
            .setCoder(ScoredTransactionCoder.of())
            .apply(ApplyRules.against(accounts))
            .apply("Verdicts", MapElements.into(TypeDescriptors.strings())
                .via(s -> s.transaction().txnId() + ":" + s.reasons() + ":" + s.riskTier()));
    PAssert.that(verdicts).containsInAnyOrder(
        "t1:[foreign_country]:low", "t2:[unknown_account]:null",
        "t3:[]:high", "t4:[]:medium");
    p.run().waitUntilFinish();
  }

  static AccountTable table(String version) {
    if (version.equals("table:v1")) {
      return AccountTable.of(List.of(account("a1", "DE", 50, 20, "low", "5411")), "v1", T0);
    }
    return AccountTable.of(List.of(account("a1", "FR", 50, 20, "high", "5411"), account("a2", "FR", 50, 20, "medium",
        "5411")), "v2", T0.plus(1));
  }
}
