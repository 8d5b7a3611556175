package dev.millrace.io.synthetic;

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
public final class SyntheticSensorIO extends SyntheticPositionsRead<SyntheticSensorConfig> {
  private SyntheticSensorIO(SyntheticSensorConfig config, long maxEvents, boolean live) {
    super(config, maxEvents, live, "GenerateReadings");
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
  SyntheticRecords.Positions generator() {
    return new SensorGenerator(config);
  }
}
