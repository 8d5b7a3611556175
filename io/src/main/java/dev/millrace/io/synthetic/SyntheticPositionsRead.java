package dev.millrace.io.synthetic;

import dev.millrace.model.RawRecord;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * What the reads of the record-config sources (sensor, vitals, transactions) share: a config,
 * positions {@code 0 .. maxEvents-1} or unbounded (0), optionally starting when read, expanded by
 * {@link SyntheticReads} as {@code "CountPositions"} and then the source's own generate step. Each
 * read keeps its public factory methods, typed to itself.
 */
abstract class SyntheticPositionsRead<C extends SyntheticConfig<C>> extends PTransform<PBegin, PCollection<RawRecord>> {
  final C config;
  final long maxEvents;
  final boolean live;
  private final String generateName;

  SyntheticPositionsRead(C config, long maxEvents, boolean live, String generateName) {
    this.config = config;
    this.maxEvents = maxEvents;
    this.live = live;
    this.generateName = generateName;
  }

  /** The generator of the config's records. */
  abstract SyntheticRecords.Positions generator();

  @Override
  public final PCollection<RawRecord> expand(PBegin input) {
    return SyntheticReads.expand(input, generator(), config.eventsPerSecond(), maxEvents, live, "CountPositions",
        generateName, Duration.ZERO);
  }
}
