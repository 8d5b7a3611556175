package dev.millrace.io.synthetic;

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
    SyntheticRecords.checkRate(eventsPerSecond);
    SyntheticRecords.checkAtLeastOne("devices", devices);
    SyntheticRecords.checkStartTime(startTime);
    SyntheticRecords.checkFraction("duplicateFraction", duplicateFraction);
    SyntheticRecords.checkFraction("malformedFraction", malformedFraction);
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
