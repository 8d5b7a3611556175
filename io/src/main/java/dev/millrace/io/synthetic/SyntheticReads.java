package dev.millrace.io.synthetic;

import dev.millrace.transforms.metrics.Accounting;
import dev.millrace.transforms.model.RawRecord;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * The expansion the synthetic sensor-style reads share: positions counted bounded (as fast as
 * possible) or unbounded (at the rate, timestamped with their nominal times), then each position's
 * records, timestamped with its nominal time.
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
    GenerateSequence sequence;
    if (maxEvents > 0) {
      sequence = GenerateSequence.from(0).to(maxEvents);
    } else {
      sequence = GenerateSequence.from(0)
          .withRate(Math.max(1, Math.round(eventsPerSecond)), Duration.standardSeconds(1))
          .withTimestampFn(generator::nominalTime);
    }
    return input
        .apply("CountPositions", sequence)
        .apply(generateName, ParDo.of(new GenerateFn(generator)))
        .setCoder(RawRecord.RawRecordCoder.of());
  }

  static final class GenerateFn extends DoFn<Long, RawRecord> {
    private final SyntheticRecords.Positions generator;
    private final Counter read = Accounting.counter(Accounting.RECORDS_READ);

    GenerateFn(SyntheticRecords.Positions generator) {
      this.generator = generator;
    }

    @ProcessElement
    public void process(@Element Long n, OutputReceiver<RawRecord> out) {
      String source = "synthetic:" + n;
      for (String record : generator.recordsOf(n)) {
        read.inc();
        out.outputWithTimestamp(RawRecord.of(record, source), generator.nominalTime(n));
      }
    }
  }
}
