package dev.millrace.io.synthetic;

import dev.millrace.model.RawRecord;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Synthetic card transactions as raw JSON records (see {@link TransactionGenerator}): bounded with
 * {@code maxEvents > 0} (as fast as possible; the rate only spaces event times), else unbounded at
 * the rate in wall-clock time, each position's element timestamp its nominal time.
 *
 * <pre>{@code
 * PCollection<RawRecord> records = p.apply("GenerateTransactions",
 *     SyntheticTransactionsIO.read(SyntheticTransactionsConfig.defaults(), 100_000));
 * }</pre>
 */
public final class SyntheticTransactionsIO extends PTransform<PBegin, PCollection<RawRecord>> {
  private final SyntheticTransactionsConfig config;
  private final long maxEvents;
  private final boolean live;

  private SyntheticTransactionsIO(SyntheticTransactionsConfig config, long maxEvents, boolean live) {
    this.config = config;
    this.maxEvents = maxEvents;
    this.live = live;
  }

  /** Positions {@code 0 .. maxEvents-1}; 0 means unbounded. */
  public static SyntheticTransactionsIO read(SyntheticTransactionsConfig config, long maxEvents) {
    return new SyntheticTransactionsIO(config, SyntheticReads.checkMaxEvents(maxEvents), false);
  }

  /** Unbounded: event times start when the source starts reading (see {@link LiveSchedule}). */
  public SyntheticTransactionsIO startingWhenRead() {
    return new SyntheticTransactionsIO(config, maxEvents, true);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    return SyntheticReads.expand(input, new TransactionGenerator(config), config.eventsPerSecond(), maxEvents, live,
        "CountPositions", "GenerateTransactions", Duration.ZERO);
  }
}
