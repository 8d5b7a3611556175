package dev.millrace.transforms.fraud;

import dev.millrace.model.DecimalCoder;
import dev.millrace.transforms.aggregate.TotalsFn;
import dev.millrace.transforms.aggregate.PreCombinePerKey;
import dev.millrace.transforms.window.Windowing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Per fixed event-time window: transactions scored, flagged, the flagged amount and the count per
 * reason, with Millrace's usual panes (ON_TIME, then LATE corrections within the allowed lateness,
 * accumulating). Flagged amounts are summed as exact decimals, so every runner's sum is the same number.
 */
public final class FraudStatsPerWindow extends PTransform<PCollection<ScoredTransaction>, PCollection<FraudStats>> {
  private final Windowing windowing;

  private FraudStatsPerWindow(Windowing windowing) {
    this.windowing = windowing;
  }

  /** Per window of {@code windowing}: fixed windows, their lateness and panes. */
  public static FraudStatsPerWindow of(Windowing windowing) {
    return new FraudStatsPerWindow(Windowing.requireKind(Windowing.Kind.FIXED, windowing, "fraud statistics"));
  }

  @Override
  public PCollection<FraudStats> expand(PCollection<ScoredTransaction> scored) {
    PCollection<ScoredTransaction> windowed = scored
        .apply("WindowIntoFixedWindows", windowing.<ScoredTransaction>into());
    return PreCombinePerKey.applyGlobally(windowed, "CountPerWindow", new CountsFn())
        .apply("ToFraudStatsRows", ParDo.of(new ToFraudStatsFn()));
  }

  // Count slots: transactions, flagged, then one per reason.
  private static final int TRANSACTIONS = 0;
  private static final int FLAGGED = 1;
  private static final int FIRST_REASON = 2;

  /** A window's counts and the exact sum of its flagged amounts (any magnitude, any number of digits). */
  static final class Counts {
    final long[] counts;
    BigDecimal flaggedAmount;

    Counts(long[] counts, BigDecimal flaggedAmount) {
      this.counts = counts;
      this.flaggedAmount = flaggedAmount;
    }

    static Counts empty() {
      return new Counts(new long[FIRST_REASON + FraudRules.REASONS.size()], BigDecimal.ZERO);
    }
  }

  static final class CountsFn extends TotalsFn<ScoredTransaction, Counts> {
    @Override
    public Counts createAccumulator() {
      return Counts.empty();
    }

    @Override
    public Counts addInput(Counts acc, ScoredTransaction in) {
      acc.counts[TRANSACTIONS]++;
      if (in.flagged()) {
        acc.counts[FLAGGED]++;
        // The amount's shortest decimal (the record's own digits), summed exactly: the same on every runner.
        acc.flaggedAmount = acc.flaggedAmount.add(BigDecimal.valueOf(in.transaction().amount()));
        for (String reason : in.reasons()) {
          acc.counts[FIRST_REASON + FraudRules.REASONS.indexOf(reason)]++;
        }
      }
      return acc;
    }

    @Override
    protected void mergeInto(Counts into, Counts other) {
      for (int i = 0; i < into.counts.length; i++) {
        into.counts[i] += other.counts[i];
      }
      into.flaggedAmount = into.flaggedAmount.add(other.flaggedAmount);
    }

    @Override
    protected Coder<Counts> totalsCoder() {
      return CountsCoder.INSTANCE;
    }
  }

  static final class CountsCoder extends AtomicCoder<Counts> {
    static final CountsCoder INSTANCE = new CountsCoder();

    @Override
    public void encode(Counts value, OutputStream out) throws IOException {
      VarLongCoder.of().encode((long) value.counts.length, out);
      for (long v : value.counts) {
        VarLongCoder.of().encode(v, out);
      }
      DecimalCoder.of().encode(value.flaggedAmount, out);
    }

    @Override
    public Counts decode(InputStream in) throws IOException {
      long[] counts = new long[(int) (long) VarLongCoder.of().decode(in)];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = VarLongCoder.of().decode(in);
      }
      return new Counts(counts, DecimalCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  static final class ToFraudStatsFn extends DoFn<Counts, FraudStats> {
    @ProcessElement
    public void process(@Element Counts counts, BoundedWindow window, PaneInfo pane, OutputReceiver<FraudStats> out) {
      long[] acc = counts.counts;
      IntervalWindow interval = (IntervalWindow) window;
      out.output(FraudStats.builder()
          .setWindowStart(interval.start())
          .setWindowEnd(interval.end())
          .setTransactions(acc[TRANSACTIONS])
          .setFlagged(acc[FLAGGED])
          .setFlaggedAmount(counts.flaggedAmount.doubleValue())
          .setUnknownAccount(acc[FIRST_REASON + FraudRules.REASONS.indexOf(FraudRules.UNKNOWN_ACCOUNT)])
          .setAmountSpike(acc[FIRST_REASON + FraudRules.REASONS.indexOf(FraudRules.AMOUNT_SPIKE)])
          .setForeignCountry(acc[FIRST_REASON + FraudRules.REASONS.indexOf(FraudRules.FOREIGN_COUNTRY)])
          .setNewMerchantCategory(acc[FIRST_REASON + FraudRules.REASONS.indexOf(FraudRules.NEW_MERCHANT_CATEGORY)])
          .setVelocity(acc[FIRST_REASON + FraudRules.REASONS.indexOf(FraudRules.VELOCITY)])
          .setPaneIndex(pane.getIndex())
          .setPaneTiming(Windowing.timingOf(pane))
          .build());
    }
  }
}
