package dev.millrace.io.synthetic;

import org.joda.time.Instant;

/**
 * The knobs of the synthetic machine sensor readings and their device registry; see {@link
 * SensorGenerator}. The {@code with*} methods of the shared knobs are {@link SyntheticConfig}'s.
 */
public record SyntheticSensorConfig(
    long seed, double eventsPerSecond, int devices, Instant startTime, double duplicateFraction,
    double malformedFraction)
    implements SyntheticConfig<SyntheticSensorConfig> {

  public static final Instant DEFAULT_START = SyntheticConfig.DEFAULT_START;

  public SyntheticSensorConfig {
    SyntheticConfig.checkFleet("devices", devices, eventsPerSecond, startTime, duplicateFraction, malformedFraction);
  }

  /** Seed 42, 100 readings/s, 200 devices (one reading per device every 2 s), from 2026-01-01T00:00:00Z. */
  public static SyntheticSensorConfig defaults() {
    return new SyntheticSensorConfig(42, 100, 200, DEFAULT_START, 0, 0);
  }

  public SyntheticSensorConfig withDevices(int v) {
    return new SyntheticSensorConfig(seed, eventsPerSecond, v, startTime, duplicateFraction, malformedFraction);
  }

  @Override
  public SyntheticSensorConfig withKnobs(long seed, double eventsPerSecond, Instant startTime,
      double duplicateFraction, double malformedFraction) {
    return new SyntheticSensorConfig(seed, eventsPerSecond, devices, startTime, duplicateFraction, malformedFraction);
  }
}
