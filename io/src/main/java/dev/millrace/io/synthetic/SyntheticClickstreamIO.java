package dev.millrace.io.synthetic;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import dev.millrace.model.RawRecord;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A synthetic clickstream producer: realistic records, deterministic for a seed, with chosen
 * fractions of out-of-order, late, duplicate and malformed records. Bounded with {@link
 * Read#withMaxEvents} (generated as fast as possible; {@code rate} only spaces the event times);
 * otherwise unbounded at {@code rate} events per second of wall-clock time, from the configured start
 * time or, {@link Read#startingWhenRead() if asked}, from when the source starts reading. The element
 * timestamp is the nominal time less the maximum out-of-orderness, so the watermark never passes an
 * event that is merely out of order; late ones are behind it.
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
        .setLive(false)
        .build();
  }

  /** The read; see {@link SyntheticClickstreamIO}. */
  @AutoValue
  public abstract static class Read extends PTransform<PBegin, PCollection<RawRecord>> {
    abstract SyntheticClickstreamConfig config();

    abstract @Nullable Long maxEvents();

    abstract boolean live();

    abstract Builder toBuilder();

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setConfig(SyntheticClickstreamConfig config);

      abstract Builder setMaxEvents(@Nullable Long maxEvents);

      abstract Builder setLive(boolean live);

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

    /**
     * Unbounded: event times start when the source starts reading, like a live producer's (see
     * {@link LiveSchedule}), rather than at the configured start time, which the job's start-up
     * would put that far in the past.
     */
    public Read startingWhenRead() {
      return toBuilder().setLive(true).build();
    }

    @Override
    public PCollection<RawRecord> expand(PBegin input) {
      SyntheticClickstreamConfig config = config();
      Long maxEvents = maxEvents();
      return SyntheticReads.expand(input, new ClickstreamGenerator(config), config.eventsPerSecond(),
          maxEvents == null ? 0 : maxEvents, live(), "CountEvents", "GenerateRecords", config.maxOutOfOrderness());
    }
  }
}
