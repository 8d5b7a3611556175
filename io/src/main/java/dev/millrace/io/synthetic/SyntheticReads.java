package dev.millrace.io.synthetic;

import dev.millrace.model.Accounting;
import dev.millrace.model.RawRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The expansion the synthetic reads share: positions counted bounded (as fast as possible) or
 * unbounded (at the rate), then each position's records, timestamped with its nominal time (less
 * {@code behind}, for a source whose timestamps trail its events). Unbounded and {@code live}, the
 * nominal schedule starts when the source starts reading ({@link LiveSchedule}), not at the
 * configured start time.
 */
final class SyntheticReads {
  private SyntheticReads() {}

  static long checkMaxEvents(long maxEvents) {
    if (maxEvents < 0) {
      throw new IllegalArgumentException("maxEvents must be >= 0, but was: " + maxEvents);
    }
    return maxEvents;
  }

  /** Applies {@code "CountPositions"} and then {@code generateName} to {@code input}. */
  static PCollection<RawRecord> expand(PBegin input, SyntheticRecords.Positions generator, double eventsPerSecond,
      long maxEvents, String generateName) {
    return expand(input, generator, eventsPerSecond, maxEvents, false, "CountPositions", generateName, Duration.ZERO);
  }

  /** Applies {@code countName} and then {@code generateName} to {@code input}. */
  static PCollection<RawRecord> expand(PBegin input, SyntheticRecords.Positions generator, double eventsPerSecond,
      long maxEvents, boolean live, String countName, String generateName, Duration behind) {
    GenerateSequence sequence;
    boolean shifted = live && maxEvents == 0;
    if (maxEvents > 0) {
      sequence = GenerateSequence.from(0).to(maxEvents);
    } else {
      sequence = GenerateSequence.from(0)
          .withRate(Math.max(1, Math.round(eventsPerSecond)), Duration.standardSeconds(1))
          .withTimestampFn(shifted ? new LiveSchedule(generator::nominalTime, behind)
              : n -> generator.nominalTime(n).minus(behind));
    }
    return input
        .apply(countName, sequence)
        .apply(generateName, ParDo.of(new GenerateFn(generator, behind, shifted)))
        .setCoder(RawRecord.RawRecordCoder.of());
  }

  static final class GenerateFn extends DoFn<Long, RawRecord> {
    private final SyntheticRecords.Positions generator;
    private final Duration behind;
    private final boolean shifted;
    private final Counter read = Accounting.counter(Accounting.RECORDS_READ);
    /** The generator started at each shift seen (one per reading process, so a few). */
    private transient Map<Long, SyntheticRecords.Positions> byShift;

    GenerateFn(SyntheticRecords.Positions generator, Duration behind, boolean shifted) {
      this.generator = generator;
      this.behind = behind;
      this.shifted = shifted;
    }

    @ProcessElement
    public void process(@Element Long n, @Timestamp Instant timestamp, OutputReceiver<RawRecord> out) {
      SyntheticRecords.Positions positions = shifted ? startedAt(n, timestamp) : generator;
      Instant at = positions.nominalTime(n).minus(behind);
      String source = "synthetic:" + n;
      for (String record : positions.recordsOf(n)) {
        read.inc();
        out.outputWithTimestamp(RawRecord.of(record, source), at);
      }
    }

    private SyntheticRecords.Positions startedAt(long n, Instant timestamp) {
      if (byShift == null) {
        byShift = new HashMap<>();
      }
      long shift = LiveSchedule.shiftOf(timestamp, generator.nominalTime(n), behind);
      return byShift.computeIfAbsent(shift, s -> generator.startingAt(generator.nominalTime(0).plus(s)));
    }
  }
}
