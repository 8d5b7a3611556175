package dev.millrace.io.synthetic;

import dev.millrace.model.RawRecord;
import org.apache.beam.sdk.transforms.PTransform;
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
  private final boolean live;

  private SyntheticSensorIO(SyntheticSensorConfig config, long maxEvents, boolean live) {
    this.config = config;
    this.maxEvents = maxEvents;
    this.live = live;
  }

  /** Positions {@code 0 .. maxEvents-1}; 0 means unbounded. */
  public static SyntheticSensorIO read(SyntheticSensorConfig config, long maxEvents) {
    return new SyntheticSensorIO(config, SyntheticReads.checkMaxEvents(maxEvents), false);
  }

  /** Unbounded: event times start when the source starts reading (see {@link LiveSchedule}). */
  public SyntheticSensorIO startingWhenRead() {
    return new SyntheticSensorIO(config, maxEvents, true);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    return SyntheticReads.expand(input, new SensorGenerator(config), config.eventsPerSecond(), maxEvents, live,
        "CountPositions", "GenerateReadings", Duration.ZERO);
  }
}
