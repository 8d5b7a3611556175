package dev.millrace.io.synthetic;

import java.io.Serializable;
import org.joda.time.Instant;

/**
 * The knobs every record-config of a synthetic source has (seed, rate, start time and the duplicate
 * and malformed fractions) and their {@code with*} methods, written once: a config record names its
 * own knobs (devices, patients, accounts, ...) and builds a copy of itself in {@link #withKnobs}.
 * Package-private, so the public configs gain no public type; their records keep their components,
 * equality and string form.
 */
interface SyntheticConfig<C extends SyntheticConfig<C>> extends Serializable {
  Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  long seed();

  double eventsPerSecond();

  Instant startTime();

  double duplicateFraction();

  double malformedFraction();

  /** This config with the shared knobs as given and its own knobs as they are. */
  C withKnobs(long seed, double eventsPerSecond, Instant startTime, double duplicateFraction, double malformedFraction);

  default C withSeed(long v) {
    return withKnobs(v, eventsPerSecond(), startTime(), duplicateFraction(), malformedFraction());
  }

  default C withEventsPerSecond(double v) {
    return withKnobs(seed(), v, startTime(), duplicateFraction(), malformedFraction());
  }

  default C withStartTime(Instant v) {
    return withKnobs(seed(), eventsPerSecond(), v, duplicateFraction(), malformedFraction());
  }

  default C withDuplicateFraction(double v) {
    return withKnobs(seed(), eventsPerSecond(), startTime(), v, malformedFraction());
  }

  default C withMalformedFraction(double v) {
    return withKnobs(seed(), eventsPerSecond(), startTime(), duplicateFraction(), v);
  }

  /**
   * The checks of a fleet's config (sensor, vitals), in this order: the rate, the fleet's size
   * (named in the message), the start time, the two fractions.
   */
  static void checkFleet(String sizeName, int size, double eventsPerSecond, Instant startTime,
      double duplicateFraction, double malformedFraction) {
    SyntheticRecords.checkRate(eventsPerSecond);
    SyntheticRecords.checkAtLeastOne(sizeName, size);
    SyntheticRecords.checkStartTime(startTime);
    SyntheticRecords.checkFraction("duplicateFraction", duplicateFraction);
    SyntheticRecords.checkFraction("malformedFraction", malformedFraction);
  }
}
