package dev.millrace.io.synthetic;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import org.joda.time.Instant;

/**
 * The knobs of the synthetic card transactions and their account data; see {@link
 * TransactionGenerator}. The {@code with*} methods of the shared knobs are {@link SyntheticConfig}'s.
 */
public record SyntheticTransactionsConfig(
    long seed, double eventsPerSecond, int accounts, Instant startTime, double duplicateFraction,
    double malformedFraction)
    implements SyntheticConfig<SyntheticTransactionsConfig> {

  public static final Instant DEFAULT_START = SyntheticConfig.DEFAULT_START;

  public SyntheticTransactionsConfig {
    checkArgument(eventsPerSecond > 0, "rate must be > 0, but was: %s", eventsPerSecond);
    checkArgument(accounts >= 1, "syntheticAccounts must be >= 1, but was: %s", accounts);
    checkArgument(duplicateFraction >= 0 && duplicateFraction <= 1,
        "duplicateFraction must be between 0 and 1, but was: %s", duplicateFraction);
    checkArgument(malformedFraction >= 0 && malformedFraction <= 1,
        "malformedFraction must be between 0 and 1, but was: %s", malformedFraction);
  }

  public static SyntheticTransactionsConfig defaults() {
    return new SyntheticTransactionsConfig(42, 100, 10_000, DEFAULT_START, 0, 0);
  }

  public SyntheticTransactionsConfig withAccounts(int v) {
    return new SyntheticTransactionsConfig(seed, eventsPerSecond, v, startTime, duplicateFraction, malformedFraction);
  }

  @Override
  public SyntheticTransactionsConfig withKnobs(long seed, double eventsPerSecond, Instant startTime,
      double duplicateFraction, double malformedFraction) {
    return new SyntheticTransactionsConfig(seed, eventsPerSecond, accounts, startTime, duplicateFraction,
        malformedFraction);
  }
}
