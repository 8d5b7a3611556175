package dev.millrace.transforms.fraud;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.model.Transaction;
import dev.millrace.model.reference.AccountTable;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Scores each transaction: counts its card's recent transactions ({@link VelocityPerCard}, within the
 * rules' velocity window) and applies the {@link FraudRules} against the account data ({@link
 * ApplyRules}). On a bounded input both happen in one step, each count scored as the sweep makes it:
 * as two steps, every counted transaction was encoded and decoded again on its way to a step that
 * Beam's Flink runner cannot chain to the sweep (it reads a broadcast side input). An unbounded input
 * is counted and then scored, as two steps (the streaming count emits from timers, which have no side
 * inputs).
 */
public final class ScoreTransactions extends PTransform<PCollection<Transaction>, PCollection<ScoredTransaction>> {
  public static final String SCORED = "transactions_scored";
  public static final String FLAGGED = "transactions_flagged";

  private final PCollectionView<Iterable<AccountTable>> accounts;
  private final FraudRules rules;
  private final @Nullable Duration allowedLateness;
  private final @Nullable Boolean boundedSweepInState;

  private ScoreTransactions(PCollectionView<Iterable<AccountTable>> accounts, FraudRules rules,
      @Nullable Duration allowedLateness, @Nullable Boolean boundedSweepInState) {
    this.accounts = accounts;
    this.rules = rules;
    this.allowedLateness = allowedLateness;
    this.boundedSweepInState = boundedSweepInState;
  }

  public static ScoreTransactions against(PCollectionView<Iterable<AccountTable>> accounts) {
    checkArgument(accounts != null, "accounts must not be null");
    return new ScoreTransactions(accounts, FraudRules.defaults(), null, null);
  }

  public ScoreTransactions withRules(FraudRules rules) {
    checkArgument(rules != null, "rules must not be null");
    return new ScoreTransactions(accounts, rules, allowedLateness, boundedSweepInState);
  }

  /** See {@link VelocityPerCard#withAllowedLateness}. */
  public ScoreTransactions withAllowedLateness(Duration lateness) {
    checkArgument(lateness != null && !lateness.isShorterThan(Duration.ZERO),
        "allowedLateness must be zero or positive, but was: %s", lateness);
    return new ScoreTransactions(accounts, rules, lateness, boundedSweepInState);
  }

  /** See {@link VelocityPerCard#withBoundedSweepInState}. */
  ScoreTransactions withBoundedSweepInState(boolean inState) {
    return new ScoreTransactions(accounts, rules, allowedLateness, inState);
  }

  @Override
  public PCollection<ScoredTransaction> expand(PCollection<Transaction> transactions) {
    VelocityPerCard velocity = VelocityPerCard.within(rules.velocityWindow());
    if (allowedLateness != null) {
      velocity = velocity.withAllowedLateness(allowedLateness);
    }
    if (boundedSweepInState != null) {
      velocity = velocity.withBoundedSweepInState(boundedSweepInState);
    }
    ApplyRules applyRules = ApplyRules.against(accounts).withRules(rules);
    if (transactions.isBounded() == PCollection.IsBounded.BOUNDED) {
      return transactions.apply("CountAndApplyRules", velocity.scoredBy(applyRules.scorer()));
    }
    return transactions.apply("VelocityPerCard", velocity).apply("ApplyRules", applyRules);
  }
}
