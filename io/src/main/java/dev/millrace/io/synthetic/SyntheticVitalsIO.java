package dev.millrace.io.synthetic;

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
public final class SyntheticVitalsIO extends SyntheticPositionsRead<SyntheticVitalsConfig> {
  private SyntheticVitalsIO(SyntheticVitalsConfig config, long maxEvents, boolean live) {
    super(config, maxEvents, live, "GenerateVitals");
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
  SyntheticRecords.Positions generator() {
    return new VitalsGenerator(config);
  }
}
