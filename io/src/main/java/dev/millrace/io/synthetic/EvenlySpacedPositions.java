package dev.millrace.io.synthetic;

import org.joda.time.Instant;

/**
 * The schedule of the clickstream and the transactions: position n at {@code startTime + n *
 * (1000 / rate)} milliseconds, truncated. Not {@link SyntheticRecords#nominalTime}, whose {@code n *
 * 1000 / rate} rounds differently for some rates: these sources' event times are fixed by their
 * seeds, and the templates' acceptance outputs with them.
 */
abstract class EvenlySpacedPositions implements SyntheticRecords.Positions {
  private final long startMillis;
  private final double millisPerEvent;

  EvenlySpacedPositions(Instant startTime, double eventsPerSecond) {
    this.startMillis = startTime.getMillis();
    this.millisPerEvent = 1000.0 / eventsPerSecond;
  }

  /** The nominal (arrival-order) time of position {@code n}. */
  @Override
  public final Instant nominalTime(long n) {
    return new Instant(startMillis + (long) (n * millisPerEvent));
  }
}
