package dev.millrace.io.synthetic;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.io.Serializable;
import org.joda.time.Instant;

/**
 * The knobs of the synthetic machine sensor readings and their device registry; see {@link
 * SensorGenerator}.
 */
public record SyntheticSensorConfig(
    long seed, double eventsPerSecond, int devices, Instant startTime, double duplicateFraction,
    double malformedFraction)
    implements Serializable {

  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  public SyntheticSensorConfig {
    checkArgument(eventsPerSecond > 0, "rate must be > 0, but was: %s", eventsPerSecond);
    checkArgument(devices >= 1, "devices must be >= 1, but was: %s", devices);
    checkArgument(startTime != null, "startTime must be set, but was: null");
    checkArgument(duplicateFraction >= 0 && duplicateFraction <= 1,
        "duplicateFraction must be between 0 and 1, but was: %s", duplicateFraction);
    checkArgument(malformedFraction >= 0 && malformedFraction <= 1,
        "malformedFraction must be between 0 and 1, but was: %s", malformedFraction);
  }

  /** Seed 42, 100 readings/s, 200 devices (one reading per device every 2 s), from 2026-01-01T00:00:00Z. */
  public static SyntheticSensorConfig defaults() {
    return new SyntheticSensorConfig(42, 100, 200, DEFAULT_START, 0, 0);
  }

  public SyntheticSensorConfig withSeed(long v) {
    return new SyntheticSensorConfig(v, eventsPerSecond, devices, startTime, duplicateFraction, malformedFraction);
  }

  public SyntheticSensorConfig withEventsPerSecond(double v) {
    return new SyntheticSensorConfig(seed, v, devices, startTime, duplicateFraction, malformedFraction);
  }

  public SyntheticSensorConfig withDevices(int v) {
    return new SyntheticSensorConfig(seed, eventsPerSecond, v, startTime, duplicateFraction, malformedFraction);
  }

  public SyntheticSensorConfig withStartTime(Instant v) {
    return new SyntheticSensorConfig(seed, eventsPerSecond, devices, v, duplicateFraction, malformedFraction);
  }

  public SyntheticSensorConfig withDuplicateFraction(double v) {
    return new SyntheticSensorConfig(seed, eventsPerSecond, devices, startTime, v, malformedFraction);
  }

  public SyntheticSensorConfig withMalformedFraction(double v) {
    return new SyntheticSensorConfig(seed, eventsPerSecond, devices, startTime, duplicateFraction, v);
  }
}
