package dev.millrace.io.synthetic;

import org.joda.time.Instant;

/**
 * The knobs of the synthetic ad events (three streams) and their campaigns and customers; see {@link
 * AdEventsGenerator}. The {@code with*} methods of the shared knobs are {@link SyntheticConfig}'s.
 */
public record SyntheticAdEventsConfig(
    long seed, double eventsPerSecond, int campaigns, int users, Instant startTime, double duplicateFraction,
    double malformedFraction)
    implements SyntheticConfig<SyntheticAdEventsConfig> {

  public static final Instant DEFAULT_START = SyntheticConfig.DEFAULT_START;

  public SyntheticAdEventsConfig {
    SyntheticRecords.checkRate(eventsPerSecond);
    SyntheticRecords.checkAtLeastOne("campaigns", campaigns);
    SyntheticRecords.checkAtLeastOne("users", users);
    SyntheticRecords.checkStartTime(startTime);
    SyntheticRecords.checkFraction("duplicateFraction", duplicateFraction);
    SyntheticRecords.checkFraction("malformedFraction", malformedFraction);
  }

  /** Seed 42, 20 impressions/s, 8 campaigns, 2,000 users, from 2026-01-01T00:00:00Z. */
  public static SyntheticAdEventsConfig defaults() {
    return new SyntheticAdEventsConfig(42, 20, 8, 2000, DEFAULT_START, 0, 0);
  }

  public SyntheticAdEventsConfig withCampaigns(int v) {
    return new SyntheticAdEventsConfig(seed, eventsPerSecond, v, users, startTime, duplicateFraction,
        malformedFraction);
  }

  public SyntheticAdEventsConfig withUsers(int v) {
    return new SyntheticAdEventsConfig(seed, eventsPerSecond, campaigns, v, startTime, duplicateFraction,
        malformedFraction);
  }

  @Override
  public SyntheticAdEventsConfig withKnobs(long seed, double eventsPerSecond, Instant startTime,
      double duplicateFraction, double malformedFraction) {
    return new SyntheticAdEventsConfig(seed, eventsPerSecond, campaigns, users, startTime, duplicateFraction,
        malformedFraction);
  }
}
