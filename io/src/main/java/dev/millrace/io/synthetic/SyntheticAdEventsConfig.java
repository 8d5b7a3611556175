package dev.millrace.io.synthetic;

import java.io.Serializable;
import org.joda.time.Instant;

/** The knobs of the synthetic ad events (three streams) and their campaigns and customers; see {@link AdEventsGenerator}. */
public record SyntheticAdEventsConfig(
    long seed, double eventsPerSecond, int campaigns, int users, Instant startTime, double duplicateFraction,
    double malformedFraction)
    implements Serializable {

  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

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

  public SyntheticAdEventsConfig withSeed(long v) {
    return new SyntheticAdEventsConfig(v, eventsPerSecond, campaigns, users, startTime, duplicateFraction,
        malformedFraction);
  }

  public SyntheticAdEventsConfig withEventsPerSecond(double v) {
    return new SyntheticAdEventsConfig(seed, v, campaigns, users, startTime, duplicateFraction, malformedFraction);
  }

  public SyntheticAdEventsConfig withCampaigns(int v) {
    return new SyntheticAdEventsConfig(seed, eventsPerSecond, v, users, startTime, duplicateFraction,
        malformedFraction);
  }

  public SyntheticAdEventsConfig withUsers(int v) {
    return new SyntheticAdEventsConfig(seed, eventsPerSecond, campaigns, v, startTime, duplicateFraction,
        malformedFraction);
  }

  public SyntheticAdEventsConfig withStartTime(Instant v) {
    return new SyntheticAdEventsConfig(seed, eventsPerSecond, campaigns, users, v, duplicateFraction,
        malformedFraction);
  }

  public SyntheticAdEventsConfig withDuplicateFraction(double v) {
    return new SyntheticAdEventsConfig(seed, eventsPerSecond, campaigns, users, startTime, v, malformedFraction);
  }

  public SyntheticAdEventsConfig withMalformedFraction(double v) {
    return new SyntheticAdEventsConfig(seed, eventsPerSecond, campaigns, users, startTime, duplicateFraction, v);
  }
}
