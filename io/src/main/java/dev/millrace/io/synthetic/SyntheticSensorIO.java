package dev.millrace.io.synthetic;

import dev.millrace.transforms.metrics.Accounting;
import dev.millrace.transforms.model.RawRecord;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Synthetic machine sensor readings as raw JSON records (see {@link SensorGenerator}): bounded with
 * {@code maxEvents > 0} (as fast as possible; the rate only spaces event times), else unbounded at
 * the rate in wall-clock time, each position's element timestamp its nominal time. A position of a
 * silent device emits nothing. The matching device registry is {@link SensorGenerator#registry()}
 * (or its {@link SensorGenerator#registryJsonLines()}) for the same config.
 *
 * <pre>{@code
 * PCollection<RawRecord> records = p.apply("GenerateReadings",
 *     SyntheticSensorIO.read(SyntheticSensorConfig.defaults(), 100_000));
 * }</pre>
 */
public final class SyntheticSensorIO extends PTransform<PBegin, PCollection<RawRecord>> {
  private final SyntheticSensorConfig config;
  private final long maxEvents;

  private SyntheticSensorIO(SyntheticSensorConfig config, long maxEvents) {
    this.config = config;
    this.maxEvents = maxEvents;
  }

  /** Positions {@code 0 .. maxEvents-1}; 0 means unbounded. */
  public static SyntheticSensorIO read(SyntheticSensorConfig config, long maxEvents) {
    if (maxEvents < 0) {
      throw new IllegalArgumentException("maxEvents must be >= 0, but was: " + maxEvents);
    }
    return new SyntheticSensorIO(config, maxEvents);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    GenerateSequence sequence;
    if (maxEvents > 0) {
      sequence = GenerateSequence.from(0).to(maxEvents);
    } else {
      SensorGenerator generator = new SensorGenerator(config);
      sequence = GenerateSequence.from(0)
          .withRate(Math.max(1, Math.round(config.eventsPerSecond())), Duration.standardSeconds(1))
          .withTimestampFn(generator::nominalTime);
    }
    return input
        .apply("CountPositions", sequence)
        .apply("GenerateReadings", ParDo.of(new GenerateFn(new SensorGenerator(config))))
        .setCoder(RawRecord.RawRecordCoder.of());
  }

  static final class GenerateFn extends DoFn<Long, RawRecord> {
    private final SensorGenerator generator;
    private final Counter read = Accounting.counter(Accounting.RECORDS_READ);

    GenerateFn(SensorGenerator generator) {
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
