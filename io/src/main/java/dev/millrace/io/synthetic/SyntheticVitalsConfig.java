package dev.millrace.io.synthetic;

import org.joda.time.Instant;

/**
 * The knobs of the synthetic wearable vitals readings and their patient registry; see {@link
 * VitalsGenerator}. The {@code with*} methods of the shared knobs are {@link SyntheticConfig}'s.
 */
public record SyntheticVitalsConfig(
    long seed, double eventsPerSecond, int patients, Instant startTime, double duplicateFraction,
    double malformedFraction)
    implements SyntheticConfig<SyntheticVitalsConfig> {

  public static final Instant DEFAULT_START = SyntheticConfig.DEFAULT_START;

  public SyntheticVitalsConfig {
    SyntheticConfig.checkFleet("patients", patients, eventsPerSecond, startTime, duplicateFraction, malformedFraction);
  }

  /** Seed 42, 20 readings/s, 100 patients (one reading per patient every 5 s), from 2026-01-01T00:00:00Z. */
  public static SyntheticVitalsConfig defaults() {
    return new SyntheticVitalsConfig(42, 20, 100, DEFAULT_START, 0, 0);
  }

  public SyntheticVitalsConfig withPatients(int v) {
    return new SyntheticVitalsConfig(seed, eventsPerSecond, v, startTime, duplicateFraction, malformedFraction);
  }

  @Override
  public SyntheticVitalsConfig withKnobs(long seed, double eventsPerSecond, Instant startTime,
      double duplicateFraction, double malformedFraction) {
    return new SyntheticVitalsConfig(seed, eventsPerSecond, patients, startTime, duplicateFraction, malformedFraction);
  }
}
