package dev.millrace.transforms.fraud;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.transforms.window.WindowPanes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Per fixed event-time window: transactions scored, flagged, the flagged amount and the count per
 * reason, with Millrace's usual panes (ON_TIME, then LATE corrections within the allowed lateness,
 * accumulating). Amounts are summed in millionths, so every runner's sum is the same exact number.
 */
public final class FraudStatsPerWindow extends PTransform<PCollection<ScoredTransaction>, PCollection<FraudStats>> {
  private final Duration windowSize;
  private final Duration allowedLateness;
  private final Duration lateFiringDelay;

  private FraudStatsPerWindow(Duration windowSize, Duration allowedLateness, Duration lateFiringDelay) {
    this.windowSize = windowSize;
    this.allowedLateness = allowedLateness;
    this.lateFiringDelay = lateFiringDelay;
  }

  public static FraudStatsPerWindow of(Duration windowSize) {
    checkArgument(windowSize != null && windowSize.isLongerThan(Duration.ZERO),
        "windowSize must be positive, but was: %s", windowSize);
    return new FraudStatsPerWindow(windowSize, Duration.standardMinutes(5), Duration.ZERO);
  }

  public FraudStatsPerWindow withAllowedLateness(Duration lateness) {
    checkArgument(lateness != null && !lateness.isShorterThan(Duration.ZERO),
        "allowedLateness must be zero or positive, but was: %s", lateness);
    return new FraudStatsPerWindow(windowSize, lateness, lateFiringDelay);
  }

  public FraudStatsPerWindow withLateFiringDelay(Duration delay) {
    checkArgument(delay != null && !delay.isShorterThan(Duration.ZERO),
        "lateFiringDelay must be zero or positive, but was: %s", delay);
    return new FraudStatsPerWindow(windowSize, allowedLateness, delay);
  }

  @Override
  public PCollection<FraudStats> expand(PCollection<ScoredTransaction> scored) {
    return scored
        .apply("WindowIntoFixedWindows",
            WindowPanes.<ScoredTransaction>fixedWindows(windowSize, allowedLateness, null, lateFiringDelay))
        .apply("CountPerWindow", Combine.globally(new CountsFn()).withoutDefaults())
        .apply("ToFraudStatsRows", ParDo.of(new ToFraudStatsFn()));
  }

  // Accumulator slots: transactions, flagged, flagged amount in millionths, then one per reason.
  private static final int TRANSACTIONS = 0;
  private static final int FLAGGED = 1;
  private static final int FLAGGED_MICROS = 2;
  private static final int FIRST_REASON = 3;

  static final class CountsFn extends Combine.CombineFn<ScoredTransaction, long[], long[]> {
    @Override
    public long[] createAccumulator() {
      return new long[FIRST_REASON + FraudRules.REASONS.size()];
    }

    @Override
    public long[] addInput(long[] acc, ScoredTransaction in) {
      acc[TRANSACTIONS]++;
      if (in.flagged()) {
        acc[FLAGGED]++;
        acc[FLAGGED_MICROS] += BigDecimal.valueOf(in.transaction().amount()).movePointRight(6).longValue();
        for (String reason : in.reasons()) {
          acc[FIRST_REASON + FraudRules.REASONS.indexOf(reason)]++;
        }
      }
      return acc;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accumulators) {
      long[] merged = createAccumulator();
      for (long[] acc : accumulators) {
        for (int i = 0; i < merged.length; i++) {
          merged[i] += acc[i];
        }
      }
      return merged;
    }

    @Override
    public long[] extractOutput(long[] acc) {
      return acc;
    }

    @Override
    public Coder<long[]> getAccumulatorCoder(CoderRegistry registry, Coder<ScoredTransaction> input) {
      return LongArrayCoder.INSTANCE;
    }

    @Override
    public Coder<long[]> getDefaultOutputCoder(CoderRegistry registry, Coder<ScoredTransaction> input)
        throws CannotProvideCoderException {
      return LongArrayCoder.INSTANCE;
    }
  }

  static final class LongArrayCoder extends AtomicCoder<long[]> {
    static final LongArrayCoder INSTANCE = new LongArrayCoder();

    @Override
    public void encode(long[] value, OutputStream out) throws IOException {
      VarLongCoder.of().encode((long) value.length, out);
      for (long v : value) {
        VarLongCoder.of().encode(v, out);
      }
    }

    @Override
    public long[] decode(InputStream in) throws IOException {
      long[] value = new long[(int) (long) VarLongCoder.of().decode(in)];
      for (int i = 0; i < value.length; i++) {
        value[i] = VarLongCoder.of().decode(in);
      }
      return value;
    }

    @Override
    public void verifyDeterministic() {}
  }

  static final class ToFraudStatsFn extends DoFn<long[], FraudStats> {
    @ProcessElement
    public void process(@Element long[] acc, BoundedWindow window, PaneInfo pane, OutputReceiver<FraudStats> out) {
      IntervalWindow interval = (IntervalWindow) window;
      out.output(FraudStats.builder()
          .setWindowStart(interval.start())
          .setWindowEnd(interval.end())
          .setTransactions(acc[TRANSACTIONS])
          .setFlagged(acc[FLAGGED])
          .setFlaggedAmount(BigDecimal.valueOf(acc[FLAGGED_MICROS]).movePointLeft(6).doubleValue())
          .setUnknownAccount(acc[FIRST_REASON + FraudRules.REASONS.indexOf(FraudRules.UNKNOWN_ACCOUNT)])
          .setAmountSpike(acc[FIRST_REASON + FraudRules.REASONS.indexOf(FraudRules.AMOUNT_SPIKE)])
          .setForeignCountry(acc[FIRST_REASON + FraudRules.REASONS.indexOf(FraudRules.FOREIGN_COUNTRY)])
          .setNewMerchantCategory(acc[FIRST_REASON + FraudRules.REASONS.indexOf(FraudRules.NEW_MERCHANT_CATEGORY)])
          .setVelocity(acc[FIRST_REASON + FraudRules.REASONS.indexOf(FraudRules.VELOCITY)])
          .setPaneIndex(pane.getIndex())
          .setPaneTiming(WindowPanes.timingOf(pane))
          .build());
    }
  }
}
