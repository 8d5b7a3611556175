package dev.millrace.transforms.sensor;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What {@link MeasuresFn} made of one group of readings: their count, and per measure the exact sum,
 * the minimum and the maximum; optionally the least-squares slope of one measure against time.
 */
public record Measures(long count, List<BigDecimal> sums, List<BigDecimal> mins, List<BigDecimal> maxes,
    @Nullable Double slopePerMinute) implements Serializable {

  /** The mean of measure {@code i}, rounded once from the exact sum. */
  public double mean(int i) {
    return sums.get(i).divide(BigDecimal.valueOf(count), MathContext.DECIMAL128).doubleValue();
  }

  public double min(int i) {
    return mins.get(i).doubleValue();
  }

  public double max(int i) {
    return maxes.get(i).doubleValue();
  }

  /** Whether the exact mean of measure {@code i} is above {@code limit} (no rounding at the boundary). */
  public boolean meanAbove(int i, BigDecimal limit) {
    return sums.get(i).compareTo(limit.multiply(BigDecimal.valueOf(count))) > 0;
  }

  /** Whether the exact mean of measure {@code i} is below {@code limit}. */
  public boolean meanBelow(int i, BigDecimal limit) {
    return sums.get(i).compareTo(limit.multiply(BigDecimal.valueOf(count))) < 0;
  }
}
