package dev.millrace.io.synthetic;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import dev.millrace.transforms.metrics.Accounting;
import dev.millrace.transforms.model.RawRecord;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A synthetic clickstream producer: realistic records, deterministic for a seed, with chosen
 * fractions of out-of-order, late, duplicate and malformed records. Bounded with {@link
 * Read#withMaxEvents} (generated as fast as possible; {@code rate} only spaces the event times);
 * otherwise unbounded at {@code rate} events per second of wall-clock time. The element timestamp is
 * the nominal time less the maximum out-of-orderness, so the watermark never passes an event that
 * is merely out of order; late ones are behind it.
 *
 * <pre>{@code
 * PCollection<RawRecord> records = p.apply("GenerateClicks",
 *     SyntheticClickstreamIO.read().withMaxEvents(100_000)
 *         .withConfig(SyntheticClickstreamConfig.builder().setDuplicateFraction(0.01).build()));
 * }</pre>
 */
public final class SyntheticClickstreamIO {
  private SyntheticClickstreamIO() {}

  public static Read read() {
    return new AutoValue_SyntheticClickstreamIO_Read.Builder()
        .setConfig(SyntheticClickstreamConfig.builder().build())
        .build();
  }

  /** The read; see {@link SyntheticClickstreamIO}. */
  @AutoValue
  public abstract static class Read extends PTransform<PBegin, PCollection<RawRecord>> {
    abstract SyntheticClickstreamConfig config();

    abstract @Nullable Long maxEvents();

    abstract Builder toBuilder();

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setConfig(SyntheticClickstreamConfig config);

      abstract Builder setMaxEvents(@Nullable Long maxEvents);

      abstract Read build();
    }

    /** What to generate: seed, rate, start time and the fractions of troublesome records. */
    public Read withConfig(SyntheticClickstreamConfig config) {
      checkArgument(config != null, "config must not be null");
      return toBuilder().setConfig(config).build();
    }

    /** Generates events {@code 0 .. maxEvents-1} and ends (a bounded read). */
    public Read withMaxEvents(long maxEvents) {
      checkArgument(maxEvents > 0, "maxEvents must be > 0, but was: %s", maxEvents);
      return toBuilder().setMaxEvents(maxEvents).build();
    }

    @Override
    public PCollection<RawRecord> expand(PBegin input) {
      SyntheticClickstreamConfig config = config();
      Long maxEvents = maxEvents();
      GenerateSequence sequence;
      if (maxEvents != null) {
        sequence = GenerateSequence.from(0).to(maxEvents);
      } else {
        ClickstreamGenerator generator = new ClickstreamGenerator(config);
        Duration outOfOrderness = config.maxOutOfOrderness();
        sequence =
            GenerateSequence.from(0)
                .withRate((long) Math.max(1, Math.round(config.eventsPerSecond())), Duration.standardSeconds(1))
                .withTimestampFn(n -> generator.nominalTime(n).minus(outOfOrderness));
      }
      return input
          .apply("CountEvents", sequence)
          .apply("GenerateRecords", ParDo.of(new GenerateRecordsFn(config)))
          .setCoder(RawRecord.RawRecordCoder.of());
    }
  }

  static final class GenerateRecordsFn extends DoFn<Long, RawRecord> {
    private final ClickstreamGenerator generator;
    private final Duration outOfOrderness;
    private final Counter read = Accounting.counter(Accounting.RECORDS_READ);

    GenerateRecordsFn(SyntheticClickstreamConfig config) {
      this.generator = new ClickstreamGenerator(config);
      this.outOfOrderness = config.maxOutOfOrderness();
    }

    @ProcessElement
    public void process(@Element Long n, OutputReceiver<RawRecord> out) {
      Instant timestamp = generator.nominalTime(n).minus(outOfOrderness);
      String source = "synthetic:" + n;
      for (String record : generator.recordsOf(n)) {
        read.inc();
        out.outputWithTimestamp(RawRecord.of(record, source), timestamp);
      }
    }
  }
}
