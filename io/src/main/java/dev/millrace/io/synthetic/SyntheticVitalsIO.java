package dev.millrace.io.synthetic;

import dev.millrace.model.RawRecord;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Synthetic wearable vitals readings as raw JSON records (see {@link VitalsGenerator}): bounded with
 * {@code maxEvents > 0} (as fast as possible; the rate only spaces event times), else unbounded at
 * the rate in wall-clock time, each position's element timestamp its nominal time. A position of a
 * silent device emits nothing. The matching patient registry is {@link VitalsGenerator#registry()}
 * (or its {@link VitalsGenerator#registryJsonLines()}) for the same config.
 *
 * <pre>{@code
 * PCollection<RawRecord> records = p.apply("GenerateVitals",
 *     SyntheticVitalsIO.read(SyntheticVitalsConfig.defaults(), 72_000));
 * }</pre>
 */
public final class SyntheticVitalsIO extends PTransform<PBegin, PCollection<RawRecord>> {
  private final SyntheticVitalsConfig config;
  private final long maxEvents;
  private final boolean live;

  private SyntheticVitalsIO(SyntheticVitalsConfig config, long maxEvents, boolean live) {
    this.config = config;
    this.maxEvents = maxEvents;
    this.live = live;
  }

  /** Positions {@code 0 .. maxEvents-1}; 0 means unbounded. */
  public static SyntheticVitalsIO read(SyntheticVitalsConfig config, long maxEvents) {
    return new SyntheticVitalsIO(config, SyntheticReads.checkMaxEvents(maxEvents), false);
  }

  /** Unbounded: event times start when the source starts reading (see {@link LiveSchedule}). */
  public SyntheticVitalsIO startingWhenRead() {
    return new SyntheticVitalsIO(config, maxEvents, true);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    return SyntheticReads.expand(input, new VitalsGenerator(config), config.eventsPerSecond(), maxEvents, live,
        "CountPositions", "GenerateVitals", Duration.ZERO);
  }
}
