package dev.millrace.transforms.campaign;

import dev.millrace.model.DecimalCoder;
import dev.millrace.transforms.aggregate.TotalsFn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A window's totals for one campaign (or campaign and segment): counts, and money summed exactly
 * (cost in micros as an integer of any size, revenue as the records' own decimals), so every runner
 * gives the same numbers; ratios are computed once, from the exact sums.
 */
public final class CampaignTotals {
  long impressions;
  BigInteger costMicros = BigInteger.ZERO;
  long clicks;
  long conversions;
  BigDecimal revenue = BigDecimal.ZERO;

  void add(CampaignActivity activity) {
    impressions += activity.impressions();
    if (activity.costMicros() != 0) {
      costMicros = costMicros.add(BigInteger.valueOf(activity.costMicros()));
    }
    clicks += activity.clicks();
    conversions += activity.conversions();
    if (activity.revenue().signum() != 0) {
      revenue = revenue.add(activity.revenue());
    }
  }

  void add(CampaignTotals other) {
    impressions += other.impressions;
    costMicros = costMicros.add(other.costMicros);
    clicks += other.clicks;
    conversions += other.conversions;
    revenue = revenue.add(other.revenue);
  }

  public long impressions() {
    return impressions;
  }

  public long clicks() {
    return clicks;
  }

  public long conversions() {
    return conversions;
  }

  /** Exact: the summed cost_micros / 1e6. */
  public BigDecimal spend() {
    return new BigDecimal(costMicros, 6);
  }

  public BigDecimal revenue() {
    return revenue;
  }

  /** clicks / impressions, null without impressions. */
  public @Nullable Double ctr() {
    return impressions == 0 ? null : (double) clicks / impressions;
  }

  /** conversions / clicks, null without clicks. */
  public @Nullable Double cvr() {
    return clicks == 0 ? null : (double) conversions / clicks;
  }

  /** revenue / spend, null without spend. */
  public @Nullable Double roas() {
    return costMicros.signum() == 0 ? null : revenue.divide(spend(), MathContext.DECIMAL128).doubleValue();
  }

  /** Campaign totals per key and window, from inputs of type {@code InputT}. */
  abstract static class SumOf<InputT> extends TotalsFn<InputT, CampaignTotals> {
    @Override
    public CampaignTotals createAccumulator() {
      return new CampaignTotals();
    }

    @Override
    protected void mergeInto(CampaignTotals into, CampaignTotals other) {
      into.add(other);
    }

    @Override
    protected Coder<CampaignTotals> totalsCoder() {
      return TotalsCoder.INSTANCE;
    }
  }

  /** Sums activities per key and window. */
  public static final class SumFn extends SumOf<CampaignActivity> {
    @Override
    public CampaignTotals addInput(CampaignTotals totals, CampaignActivity activity) {
      totals.add(activity);
      return totals;
    }
  }

  /** Sums totals per key and window (a campaign's from its segments'). */
  public static final class SumTotalsFn extends SumOf<CampaignTotals> {
    @Override
    public CampaignTotals addInput(CampaignTotals totals, CampaignTotals other) {
      totals.add(other);
      return totals;
    }
  }

  public static final class TotalsCoder extends AtomicCoder<CampaignTotals> {
    static final TotalsCoder INSTANCE = new TotalsCoder();
    private static final VarLongCoder LONG = VarLongCoder.of();

    public static TotalsCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(CampaignTotals value, OutputStream out) throws IOException {
      LONG.encode(value.impressions, out);
      DecimalCoder.of().encode(new BigDecimal(value.costMicros), out);
      LONG.encode(value.clicks, out);
      LONG.encode(value.conversions, out);
      DecimalCoder.of().encode(value.revenue, out);
    }

    @Override
    public CampaignTotals decode(InputStream in) throws IOException {
      CampaignTotals totals = new CampaignTotals();
      totals.impressions = LONG.decode(in);
      totals.costMicros = DecimalCoder.of().decode(in).toBigIntegerExact();
      totals.clicks = LONG.decode(in);
      totals.conversions = LONG.decode(in);
      totals.revenue = DecimalCoder.of().decode(in);
      return totals;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
