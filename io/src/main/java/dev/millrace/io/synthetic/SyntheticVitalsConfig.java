package dev.millrace.io.synthetic;

import java.io.Serializable;
import org.joda.time.Instant;

/**
 * The knobs of the synthetic wearable vitals readings and their patient registry; see {@link
 * VitalsGenerator}.
 */
public record SyntheticVitalsConfig(
    long seed, double eventsPerSecond, int patients, Instant startTime, double duplicateFraction,
    double malformedFraction)
    implements Serializable {

  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  public SyntheticVitalsConfig {
    SyntheticRecords.checkRate(eventsPerSecond);
    SyntheticRecords.checkAtLeastOne("patients", patients);
    SyntheticRecords.checkStartTime(startTime);
    SyntheticRecords.checkFraction("duplicateFraction", duplicateFraction);
    SyntheticRecords.checkFraction("malformedFraction", malformedFraction);
  }

  /** Seed 42, 20 readings/s, 100 patients (one reading per patient every 5 s), from 2026-01-01T00:00:00Z. */
  public static SyntheticVitalsConfig defaults() {
    return new SyntheticVitalsConfig(42, 20, 100, DEFAULT_START, 0, 0);
  }

  public SyntheticVitalsConfig withSeed(long v) {
    return new SyntheticVitalsConfig(v, eventsPerSecond, patients, startTime, duplicateFraction, malformedFraction);
  }

  public SyntheticVitalsConfig withEventsPerSecond(double v) {
    return new SyntheticVitalsConfig(seed, v, patients, startTime, duplicateFraction, malformedFraction);
  }

  public SyntheticVitalsConfig withPatients(int v) {
    return new SyntheticVitalsConfig(seed, eventsPerSecond, v, startTime, duplicateFraction, malformedFraction);
  }

  public SyntheticVitalsConfig withStartTime(Instant v) {
    return new SyntheticVitalsConfig(seed, eventsPerSecond, patients, v, duplicateFraction, malformedFraction);
  }

  public SyntheticVitalsConfig withDuplicateFraction(double v) {
    return new SyntheticVitalsConfig(seed, eventsPerSecond, patients, startTime, v, malformedFraction);
  }

  public SyntheticVitalsConfig withMalformedFraction(double v) {
    return new SyntheticVitalsConfig(seed, eventsPerSecond, patients, startTime, duplicateFraction, v);
  }
}
