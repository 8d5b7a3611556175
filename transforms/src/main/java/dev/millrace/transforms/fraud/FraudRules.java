package dev.millrace.transforms.fraud;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.model.Transaction;
import dev.millrace.model.reference.Account;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The fraud rules and their thresholds. The per-transaction rules compare a transaction with its
 * account; {@code velocity} needs the card's recent transactions, counted by {@link VelocityPerCard}.
 * Reason codes come back sorted; a transaction with none is not flagged.
 */
public final class FraudRules implements Serializable {
  public static final String AMOUNT_SPIKE = "amount_spike";
  public static final String FOREIGN_COUNTRY = "foreign_country";
  public static final String NEW_MERCHANT_CATEGORY = "new_merchant_category";
  public static final String UNKNOWN_ACCOUNT = "unknown_account";
  public static final String VELOCITY = "velocity";
  /** Every reason code, sorted. */
  public static final List<String> REASONS =
      List.of(AMOUNT_SPIKE, FOREIGN_COUNTRY, NEW_MERCHANT_CATEGORY, UNKNOWN_ACCOUNT, VELOCITY);

  private final double spikeStddevs;
  private final double spikeMinAmount;
  private final double newCategoryFactor;
  private final int velocityCount;
  private final Duration velocityWindow;

  private FraudRules(double spikeStddevs, double spikeMinAmount, double newCategoryFactor, int velocityCount,
      Duration velocityWindow) {
    this.spikeStddevs = spikeStddevs;
    this.spikeMinAmount = spikeMinAmount;
    this.newCategoryFactor = newCategoryFactor;
    this.velocityCount = velocityCount;
    this.velocityWindow = velocityWindow;
  }

  /** The thresholds: 4 standard deviations and over 100, 3x the average, 6 in 60 s. */
  public static FraudRules defaults() {
    return new FraudRules(4, 100, 3, 6, Duration.standardSeconds(60));
  }

  /** {@code amount_spike}: amount > avg + k * stddev (and > the minimum amount). */
  public FraudRules withSpikeStddevs(double k) {
    checkArgument(k >= 0, "spike stddevs must be >= 0, but was: %s", k);
    return new FraudRules(k, spikeMinAmount, newCategoryFactor, velocityCount, velocityWindow);
  }

  /** {@code amount_spike} only above this amount. */
  public FraudRules withSpikeMinAmount(double amount) {
    checkArgument(amount >= 0, "spike minimum amount must be >= 0, but was: %s", amount);
    return new FraudRules(spikeStddevs, amount, newCategoryFactor, velocityCount, velocityWindow);
  }

  /** {@code new_merchant_category}: an unknown mcc and amount > factor * avg. */
  public FraudRules withNewCategoryFactor(double factor) {
    checkArgument(factor >= 0, "new category factor must be >= 0, but was: %s", factor);
    return new FraudRules(spikeStddevs, spikeMinAmount, factor, velocityCount, velocityWindow);
  }

  /** {@code velocity}: at least {@code count} transactions of the card within {@code window}. */
  public FraudRules withVelocity(int count, Duration window) {
    checkArgument(count >= 1, "velocity count must be >= 1, but was: %s", count);
    checkArgument(window != null && window.isLongerThan(Duration.ZERO), "velocity window must be positive, but was: %s",
        window);
    return new FraudRules(spikeStddevs, spikeMinAmount, newCategoryFactor, count, window);
  }

  public int velocityCount() {
    return velocityCount;
  }

  public Duration velocityWindow() {
    return velocityWindow;
  }

  /**
   * The sorted reason codes for a transaction, its account ({@code null}: not in the account data)
   * and the number of the card's transactions in {@code (t - window, t]}, itself included.
   */
  public List<String> reasons(Transaction t, @Nullable Account account, int recentOnCard) {
    List<String> reasons = new ArrayList<>(2);
    if (account != null) {
      double avg = account.avgAmount90d();
      if (t.amount() > avg + spikeStddevs * account.stddevAmount90d() && t.amount() > spikeMinAmount) {
        reasons.add(AMOUNT_SPIKE);
      }
      if (!t.country().equals(account.homeCountry()) && Transaction.POS.equals(t.channel())) {
        reasons.add(FOREIGN_COUNTRY);
      }
      if (t.amount() > newCategoryFactor * avg && !account.knownMccs().contains(t.mcc())) {
        reasons.add(NEW_MERCHANT_CATEGORY);
      }
    } else {
      reasons.add(UNKNOWN_ACCOUNT);
    }
    if (recentOnCard >= velocityCount) {
      reasons.add(VELOCITY);
    }
    return reasons;
  }
}
