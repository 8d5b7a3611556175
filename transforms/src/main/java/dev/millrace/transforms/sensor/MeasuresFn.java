package dev.millrace.transforms.sensor;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.model.DecimalCoder;
import dev.millrace.transforms.aggregate.TotalsFn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Count, exact sum, minimum and maximum of several numeric measures of a reading, and optionally the
 * least-squares slope of one measure against event time (per minute): the sensor templates' window
 * aggregate. Everything is exact (decimal sums, integer millisecond offsets), so the result does not
 * depend on the order in which a runner adds and merges values; the slope is rounded once at the end.
 *
 * <p>Time offsets are kept relative to the accumulator's first reading, so sums of squares stay
 * small; merging shifts one accumulator onto the other's reference.
 */
public final class MeasuresFn<T> extends CombineFn<T, MeasuresFn.Accumulator, Measures> {
  private static final BigDecimal MILLIS_PER_MINUTE = BigDecimal.valueOf(60_000);

  private final List<SerializableFunction<T, BigDecimal>> measures;
  private final @Nullable SerializableFunction<T, Instant> timeFn;
  private final int trendMeasure;

  private MeasuresFn(List<SerializableFunction<T, BigDecimal>> measures,
      @Nullable SerializableFunction<T, Instant> timeFn, int trendMeasure) {
    this.measures = measures;
    this.timeFn = timeFn;
    this.trendMeasure = trendMeasure;
  }

  /** The given measures, in this order (their index is their position in {@link Measures}). */
  @SafeVarargs
  public static <T> MeasuresFn<T> of(SerializableFunction<T, BigDecimal>... measures) {
    checkArgument(measures.length > 0, "at least one measure");
    return new MeasuresFn<>(List.of(measures), null, -1);
  }

  /** Also fit measure {@code index} against {@code timeFn} (least squares; slope per minute). */
  public MeasuresFn<T> withTrend(int index, SerializableFunction<T, Instant> timeFn) {
    checkArgument(index >= 0 && index < measures.size(), "no measure %s", index);
    return new MeasuresFn<>(measures, timeFn, index);
  }

  /** The same combine, stopping at the accumulator: a partial result to merge later (see {@link #merging}). */
  public CombineFn<T, Accumulator, Accumulator> partial() {
    MeasuresFn<T> fn = this;
    return new TotalsFn<T, Accumulator>() {
      @Override
      public Accumulator createAccumulator() {
        return fn.createAccumulator();
      }

      @Override
      public Accumulator addInput(Accumulator acc, T input) {
        return fn.addInput(acc, input);
      }

      @Override
      protected void mergeInto(Accumulator into, Accumulator other) {
        fn.mergeInto(into, other);
      }

      @Override
      protected Coder<Accumulator> totalsCoder() {
        return fn.getAccumulatorCoder(null, null);
      }
    };
  }

  /** Merges partial results of {@link #partial} into the final {@link Measures}. */
  public CombineFn<Accumulator, Accumulator, Measures> merging() {
    MeasuresFn<T> fn = this;
    return new CombineFn<>() {
      @Override
      public Accumulator createAccumulator() {
        return fn.createAccumulator();
      }

      @Override
      public Accumulator addInput(Accumulator acc, Accumulator partial) {
        // In place: a window merges one partial per period, without a new accumulator each time.
        fn.mergeInto(acc, partial);
        return acc;
      }

      @Override
      public Accumulator mergeAccumulators(Iterable<Accumulator> accumulators) {
        return fn.mergeAccumulators(accumulators);
      }

      @Override
      public Measures extractOutput(Accumulator acc) {
        return fn.extractOutput(acc);
      }

      @Override
      public Coder<Accumulator> getAccumulatorCoder(CoderRegistry registry, Coder<Accumulator> inputCoder) {
        return fn.getAccumulatorCoder(registry, null);
      }
    };
  }

  @Override
  public Accumulator createAccumulator() {
    return new Accumulator(measures.size());
  }

  @Override
  public Accumulator addInput(Accumulator acc, T input) {
    acc.count++;
    for (int i = 0; i < measures.size(); i++) {
      BigDecimal v = measures.get(i).apply(input);
      acc.sums[i] = acc.sums[i].add(v);
      if (acc.mins[i] == null || v.compareTo(acc.mins[i]) < 0) {
        acc.mins[i] = v;
      }
      if (acc.maxes[i] == null || v.compareTo(acc.maxes[i]) > 0) {
        acc.maxes[i] = v;
      }
    }
    if (timeFn != null) {
      long t = timeFn.apply(input).getMillis();
      if (acc.count == 1) {
        acc.ref = t;
        acc.minT = t;
        acc.maxT = t;
      }
      acc.minT = Math.min(acc.minT, t);
      acc.maxT = Math.max(acc.maxT, t);
      BigDecimal x = BigDecimal.valueOf(t - acc.ref);
      BigDecimal y = measures.get(trendMeasure).apply(input);
      acc.sumX = acc.sumX.add(x);
      acc.sumXX = acc.sumXX.add(x.multiply(x));
      acc.sumXY = acc.sumXY.add(x.multiply(y));
    }
    return acc;
  }

  @Override
  public Accumulator mergeAccumulators(Iterable<Accumulator> accumulators) {
    Accumulator merged = createAccumulator();
    for (Accumulator acc : accumulators) {
      mergeInto(merged, acc);
    }
    return merged;
  }

  /** Adds {@code acc} into {@code merged} (which it changes), shifting acc's times onto merged's reference. */
  private void mergeInto(Accumulator merged, Accumulator acc) {
    if (acc.count == 0) {
      return;
    }
    if (timeFn != null) {
      if (merged.count == 0) {
        merged.ref = acc.ref;
        merged.minT = acc.minT;
        merged.maxT = acc.maxT;
      }
      // x' = x + d for acc's readings seen from merged's reference.
      BigDecimal d = BigDecimal.valueOf(acc.ref - merged.ref);
      BigDecimal n = BigDecimal.valueOf(acc.count);
      BigDecimal sumY = acc.sums[trendMeasure];
      merged.sumXX = merged.sumXX.add(acc.sumXX).add(d.multiply(acc.sumX).multiply(BigDecimal.valueOf(2)))
          .add(n.multiply(d).multiply(d));
      merged.sumXY = merged.sumXY.add(acc.sumXY).add(d.multiply(sumY));
      merged.sumX = merged.sumX.add(acc.sumX).add(n.multiply(d));
      merged.minT = Math.min(merged.minT, acc.minT);
      merged.maxT = Math.max(merged.maxT, acc.maxT);
    }
    merged.count += acc.count;
    for (int i = 0; i < measures.size(); i++) {
      merged.sums[i] = merged.sums[i].add(acc.sums[i]);
      if (merged.mins[i] == null || acc.mins[i].compareTo(merged.mins[i]) < 0) {
        merged.mins[i] = acc.mins[i];
      }
      if (merged.maxes[i] == null || acc.maxes[i].compareTo(merged.maxes[i]) > 0) {
        merged.maxes[i] = acc.maxes[i];
      }
    }
  }

  @Override
  public Measures extractOutput(Accumulator acc) {
    if (acc.count == 0) {
      return new Measures(0, List.of(), List.of(), List.of(), null);
    }
    List<BigDecimal> sums = new ArrayList<>();
    List<BigDecimal> mins = new ArrayList<>();
    List<BigDecimal> maxes = new ArrayList<>();
    for (int i = 0; i < measures.size(); i++) {
      sums.add(acc.sums[i]);
      mins.add(acc.mins[i]);
      maxes.add(acc.maxes[i]);
    }
    return new Measures(acc.count, Collections.unmodifiableList(sums), Collections.unmodifiableList(mins),
        Collections.unmodifiableList(maxes), timeFn == null ? null : slope(acc));
  }

  /** Least-squares slope per minute; null with fewer than 2 distinct times. */
  private @Nullable Double slope(Accumulator acc) {
    if (acc.minT == acc.maxT) {
      return null;
    }
    BigDecimal n = BigDecimal.valueOf(acc.count);
    BigDecimal numerator = n.multiply(acc.sumXY).subtract(acc.sumX.multiply(acc.sums[trendMeasure]));
    BigDecimal denominator = n.multiply(acc.sumXX).subtract(acc.sumX.multiply(acc.sumX));
    return numerator.multiply(MILLIS_PER_MINUTE).divide(denominator, MathContext.DECIMAL128).doubleValue();
  }

  @Override
  public Coder<Accumulator> getAccumulatorCoder(CoderRegistry registry, Coder<T> inputCoder) {
    return new AccumulatorCoder(measures.size());
  }

  /** The running state of one group: mutable, as a CombineFn's accumulator may be. */
  public static final class Accumulator {
    long count;
    final BigDecimal[] sums;
    final @Nullable BigDecimal[] mins;
    final @Nullable BigDecimal[] maxes;
    long ref;
    long minT;
    long maxT;
    BigDecimal sumX = BigDecimal.ZERO;
    BigDecimal sumXX = BigDecimal.ZERO;
    BigDecimal sumXY = BigDecimal.ZERO;

    Accumulator(int measures) {
      sums = new BigDecimal[measures];
      java.util.Arrays.fill(sums, BigDecimal.ZERO);
      mins = new BigDecimal[measures];
      maxes = new BigDecimal[measures];
    }
  }

  static final class AccumulatorCoder extends AtomicCoder<Accumulator> {
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final DecimalCoder DECIMAL = DecimalCoder.of();
    private final int measures;

    AccumulatorCoder(int measures) {
      this.measures = measures;
    }

    @Override
    public void encode(Accumulator acc, OutputStream out) throws IOException {
      LONG.encode(acc.count, out);
      INT.encode(measures, out);
      for (int i = 0; i < measures; i++) {
        DECIMAL.encode(acc.sums[i], out);
        if (acc.count > 0) {
          DECIMAL.encode(acc.mins[i], out);
          DECIMAL.encode(acc.maxes[i], out);
        }
      }
      LONG.encode(acc.ref, out);
      LONG.encode(acc.minT, out);
      LONG.encode(acc.maxT, out);
      DECIMAL.encode(acc.sumX, out);
      DECIMAL.encode(acc.sumXX, out);
      DECIMAL.encode(acc.sumXY, out);
    }

    @Override
    public Accumulator decode(InputStream in) throws IOException {
      long count = LONG.decode(in);
      int n = INT.decode(in);
      Accumulator acc = new Accumulator(n);
      acc.count = count;
      for (int i = 0; i < n; i++) {
        acc.sums[i] = DECIMAL.decode(in);
        if (count > 0) {
          acc.mins[i] = DECIMAL.decode(in);
          acc.maxes[i] = DECIMAL.decode(in);
        }
      }
      acc.ref = LONG.decode(in);
      acc.minT = LONG.decode(in);
      acc.maxT = LONG.decode(in);
      acc.sumX = DECIMAL.decode(in);
      acc.sumXX = DECIMAL.decode(in);
      acc.sumXY = DECIMAL.decode(in);
      return acc;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
