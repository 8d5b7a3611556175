package dev.millrace.io.synthetic;

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
public final class SyntheticTransactionsIO extends SyntheticPositionsRead<SyntheticTransactionsConfig> {
  private SyntheticTransactionsIO(SyntheticTransactionsConfig config, long maxEvents, boolean live) {
    super(config, maxEvents, live, "GenerateTransactions");
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
  SyntheticRecords.Positions generator() {
    return new TransactionGenerator(config);
  }
}
