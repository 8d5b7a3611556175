package dev.millrace.io.synthetic;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The element timestamps of an unbounded synthetic read whose event times start when it starts
 * reading, as a live producer's would: a generator's nominal schedule ({@code start + n / rate}),
 * shifted by how long after {@code start} the first reader of this worker process asked for a
 * timestamp. Without the shift, every event of a job built at {@code start} and reading from
 * tens of seconds later (its start-up, longer on a cluster) is stamped that much in the past: its
 * windows close that much later in wall-clock time, which a latency measurement counts as latency.
 *
 * <p>The shift is fixed per process (readers in one process share it, so their events interleave in
 * time as generated), never negative, and recovered downstream from an element's timestamp ({@link
 * #shiftOf}), so the records carry the same event times as their timestamps. A process started
 * later (a restart after a failure) takes its own, larger shift: events stamped when generated.
 * Used as {@code GenerateSequence.withTimestampFn}, whose reader asks for the watermark with the same
 * function, so the watermark follows the shifted schedule too.
 */
final class LiveSchedule implements SerializableFunction<Long, Instant> {
  private static final Map<String, Long> SHIFTS = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();
  private final SerializableFunction<Long, Instant> nominal;
  private final long behindMillis;

  /** Timestamps {@code nominal(n)} shifted, less {@code behind} (a source that stamps before its events). */
  LiveSchedule(SerializableFunction<Long, Instant> nominal, Duration behind) {
    this.nominal = nominal;
    this.behindMillis = behind.getMillis();
  }

  @Override
  public Instant apply(Long n) {
    long nominalMillis = nominal.apply(n).getMillis();
    long shift = SHIFTS.computeIfAbsent(id, k -> Math.max(0, System.currentTimeMillis() - nominalMillis));
    return new Instant(nominalMillis + shift - behindMillis);
  }

  /** The shift of an element {@code n} timestamped by a schedule over {@code nominal} with {@code behind}. */
  static long shiftOf(Instant timestamp, Instant nominal, Duration behind) {
    return timestamp.getMillis() + behind.getMillis() - nominal.getMillis();
  }
}
