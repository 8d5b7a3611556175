package dev.millrace.io.synthetic;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** The knobs of the synthetic clickstream; see {@link SyntheticClickstreamIO}. */
@AutoValue
public abstract class SyntheticClickstreamConfig implements Serializable {
  public abstract long seed();

  public abstract double eventsPerSecond();

  public abstract Instant startTime();

  public abstract long users();

  public abstract double outOfOrderFraction();

  public abstract Duration maxOutOfOrderness();

  public abstract double lateFraction();

  public abstract Duration lateBy();

  public abstract double duplicateFraction();

  public abstract double malformedFraction();

  public abstract Builder toBuilder();

  public static Builder builder() {
    return new AutoValue_SyntheticClickstreamConfig.Builder()
        .setSeed(42)
        .setEventsPerSecond(100)
        .setStartTime(Instant.parse("2026-01-01T00:00:00Z"))
        .setUsers(5_000)
        .setOutOfOrderFraction(0.1)
        .setMaxOutOfOrderness(Duration.standardSeconds(30))
        .setLateFraction(0.0)
        .setLateBy(Duration.standardMinutes(10))
        .setDuplicateFraction(0.0)
        .setMalformedFraction(0.0);
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setSeed(long seed);

    public abstract Builder setEventsPerSecond(double eventsPerSecond);

    public abstract Builder setStartTime(Instant startTime);

    public abstract Builder setUsers(long users);

    public abstract Builder setOutOfOrderFraction(double fraction);

    public abstract Builder setMaxOutOfOrderness(Duration maxOutOfOrderness);

    public abstract Builder setLateFraction(double fraction);

    public abstract Builder setLateBy(Duration lateBy);

    public abstract Builder setDuplicateFraction(double fraction);

    public abstract Builder setMalformedFraction(double fraction);

    abstract SyntheticClickstreamConfig autoBuild();

    public SyntheticClickstreamConfig build() {
      SyntheticClickstreamConfig c = autoBuild();
      checkArgument(c.eventsPerSecond() > 0, "rate must be > 0, but was: %s", c.eventsPerSecond());
      checkArgument(c.users() > 0, "users must be > 0, but was: %s", c.users());
      checkFraction("outOfOrderFraction", c.outOfOrderFraction());
      checkFraction("lateFraction", c.lateFraction());
      checkFraction("duplicateFraction", c.duplicateFraction());
      checkFraction("malformedFraction", c.malformedFraction());
      checkArgument(
          c.outOfOrderFraction() + c.lateFraction() <= 1,
          "outOfOrderFraction + lateFraction must be <= 1, but was: %s",
          c.outOfOrderFraction() + c.lateFraction());
      checkArgument(
          !c.maxOutOfOrderness().isShorterThan(Duration.ZERO),
          "maxOutOfOrderness must not be negative, but was: %s",
          c.maxOutOfOrderness());
      checkArgument(
          c.lateBy().isLongerThan(Duration.ZERO), "lateBy must be positive, but was: %s", c.lateBy());
      return c;
    }

    private static void checkFraction(String name, double value) {
      checkArgument(value >= 0 && value <= 1, "%s must be in [0, 1], but was: %s", name, value);
    }
  }
}
