package dev.millrace.io.kinesis;

import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.io.aws2.kinesis.WatermarkPolicy;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * One shard's watermark in event time: the newest event time seen less the maximum
 * out-of-orderness; a record without an event time counts as activity only. A shard idle for longer than the idle timeout lets its watermark move on with the
 * wall clock from where it stood, so it does not hold the stream back forever, yet a replay of
 * months-old events is not overtaken by "now". A shard that has had no record at all releases to
 * wall-clock time less the idle timeout once that much time has passed.
 *
 * <p>Beam's own custom policy counts a shard as idle before its first record and jumps to wall-clock
 * time at once, which drops every replayed old event as late: hence this policy.
 *
 * <p>After a restore (a TaskManager lost, a savepoint resumed) the policy is new but the shard is
 * not: {@link EventTimeSource} then hands it the reader's checkpointed watermark, and the policy
 * starts from there as a shard that has seen records up to it. It never releases to wall-clock time:
 * a restored job whose readers are slow to get their first records would otherwise jump its watermark
 * to "now" and drop every replayed old event as late (seen with a TaskManager kill on Flink: 738 of
 * 2,421 records dropped). And the idle clock starts when the policy is first consulted, not when it
 * is built: a restored reader may be built many seconds before its task starts reading.
 */
final class EventTimeWatermarkPolicy implements WatermarkPolicy {
  private final SerializableFunction<KinesisRecord, @Nullable Instant> eventTimeFn;
  private final Duration idleTimeout;
  private final SerializableSupplier<Instant> clock;
  private Instant maxEventTime = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private @Nullable Instant lastUpdate;
  private Instant watermark = BoundedWindow.TIMESTAMP_MIN_VALUE;

  /**
   * The watermark of the reader being restored on this thread, set by {@link EventTimeSource} around
   * the restored reader's start (where Beam's Kinesis reader builds one policy per shard); null
   * otherwise. A thread-local because Beam builds the policies through a no-argument factory.
   */
  static final ThreadLocal<Instant> RESTORED_WATERMARK = new ThreadLocal<>();

  /** The wall clock, replaceable in tests. */
  interface SerializableSupplier<T> extends java.util.function.Supplier<T>, java.io.Serializable {}

  EventTimeWatermarkPolicy(SerializableFunction<KinesisRecord, @Nullable Instant> eventTimeFn, Duration idleTimeout) {
    this(eventTimeFn, idleTimeout, Instant::now);
  }

  EventTimeWatermarkPolicy(
      SerializableFunction<KinesisRecord, @Nullable Instant> eventTimeFn, Duration idleTimeout, SerializableSupplier<Instant> clock) {
    this.eventTimeFn = eventTimeFn;
    this.idleTimeout = idleTimeout;
    this.clock = clock;
    Instant restored = RESTORED_WATERMARK.get();
    if (restored != null && restored.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
      maxEventTime = restored;
      watermark = restored;
    }
  }

  @Override
  public Instant getWatermark() {
    Instant now = clock.get();
    if (lastUpdate == null) {
      lastUpdate = now;
    }
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
    // A record without an event time (a dead letter to be) shows the shard is alive, nothing more.
    Instant eventTime = eventTimeFn.apply(record);
    if (eventTime != null && eventTime.isAfter(maxEventTime)) {
      maxEventTime = eventTime;
    }
    lastUpdate = clock.get();
  }
}
