package dev.millrace.io.kinesis;

import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.io.aws2.kinesis.WatermarkPolicy;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * One shard's watermark in event time: the newest event time seen less the maximum
 * out-of-orderness. A shard idle for longer than the idle timeout lets its watermark move on with the
 * wall clock from where it stood, so it does not hold the stream back forever, yet a replay of
 * months-old events is not overtaken by "now". A shard that has had no record at all releases to
 * wall-clock time less the idle timeout once that much time has passed.
 *
 * <p>Beam's own custom policy counts a shard as idle before its first record and jumps to wall-clock
 * time at once, which drops every replayed old event as late: hence this policy.
 */
final class EventTimeWatermarkPolicy implements WatermarkPolicy {
  private final SerializableFunction<KinesisRecord, Instant> eventTimeFn;
  private final Duration idleTimeout;
  private final SerializableSupplier<Instant> clock;
  private Instant maxEventTime = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant lastUpdate;
  private Instant watermark = BoundedWindow.TIMESTAMP_MIN_VALUE;

  /** The wall clock, replaceable in tests. */
  interface SerializableSupplier<T> extends java.util.function.Supplier<T>, java.io.Serializable {}

  EventTimeWatermarkPolicy(SerializableFunction<KinesisRecord, Instant> eventTimeFn, Duration idleTimeout) {
    this(eventTimeFn, idleTimeout, Instant::now);
  }

  EventTimeWatermarkPolicy(
      SerializableFunction<KinesisRecord, Instant> eventTimeFn, Duration idleTimeout, SerializableSupplier<Instant> clock) {
    this.eventTimeFn = eventTimeFn;
    this.idleTimeout = idleTimeout;
    this.clock = clock;
    this.lastUpdate = clock.get();
  }

  @Override
  public Instant getWatermark() {
    Instant now = clock.get();
    long idleFor = now.getMillis() - lastUpdate.getMillis() - idleTimeout.getMillis();
    Instant candidate;
    if (maxEventTime.equals(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
      candidate = idleFor > 0 ? now.minus(idleTimeout) : BoundedWindow.TIMESTAMP_MIN_VALUE;
    } else {
      candidate = idleFor > 0 ? maxEventTime.plus(Duration.millis(idleFor)) : maxEventTime;
    }
    if (candidate.isAfter(watermark)) {
      watermark = candidate;
    }
    return watermark;
  }

  @Override
  public void update(KinesisRecord record) {
    Instant eventTime = eventTimeFn.apply(record);
    if (eventTime.isAfter(maxEventTime)) {
      maxEventTime = eventTime;
    }
    lastUpdate = clock.get();
  }
}
