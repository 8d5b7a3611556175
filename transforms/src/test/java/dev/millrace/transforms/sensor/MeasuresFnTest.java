package dev.millrace.transforms.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class MeasuresFnTest {
  record Point(Instant time, BigDecimal value) {}

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final MeasuresFn<Point> fn = MeasuresFn.<Point>of(Point::value).withTrend(0, Point::time);

  static Point at(long millis, String value) {
    return new Point(T0.plus(millis), new BigDecimal(value));
  }

  Measures combine(List<Point> points) {
    MeasuresFn.Accumulator acc = fn.createAccumulator();
    for (Point p : points) {
      acc = fn.addInput(acc, p);
    }
    return fn.extractOutput(acc);
  }

  @Test
  void meanIsExactAndTheSlopeIsPerMinute() {
    // 1, 2, 3 mm/s at 0, 1 and 2 minutes: slope 1 per minute; 0.1 + 0.2 style sums stay exact.
    Measures m = combine(List.of(at(0, "1"), at(60_000, "2"), at(120_000, "3")));
    assertThat(m.count()).isEqualTo(3);
    assertThat(m.mean(0)).isEqualTo(2.0);
    assertThat(m.slopePerMinute()).isEqualTo(1.0);
    Measures tenths = combine(List.of(at(0, "0.1"), at(1, "0.2"), at(2, "0.3")));
    assertThat(tenths.meanAbove(0, new BigDecimal("0.2"))).isFalse();
    assertThat(tenths.meanBelow(0, new BigDecimal("0.2"))).isFalse();
    assertThat(tenths.mean(0)).isEqualTo(0.2);
  }

  @Test
  void slopeIsNullWithFewerThanTwoDistinctTimes() {
    assertThat(combine(List.of(at(5, "1"))).slopePerMinute()).isNull();
    assertThat(combine(List.of(at(5, "1"), at(5, "9"))).slopePerMinute()).isNull();
    assertThat(combine(List.of(at(5, "1"), at(6, "9"))).slopePerMinute()).isNotNull();
  }

  @Test
  void mergingInAnyOrderAndThroughTheCoderGivesTheSameResult() throws Exception {
    Random random = new Random(5);
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      points.add(at(random.nextInt(600_000), String.valueOf(random.nextInt(100_000) / 100.0)));
    }
    Measures whole = combine(points);
    // Three partial accumulators with different first readings (so different time references), merged
    // in two orders, one of them after a round trip through the accumulator coder.
    List<MeasuresFn.Accumulator> parts = new ArrayList<>();
    for (int part = 0; part < 3; part++) {
      MeasuresFn.Accumulator acc = fn.createAccumulator();
      for (int i = part; i < points.size(); i += 3) {
        acc = fn.addInput(acc, points.get(i));
      }
      var coder = fn.getAccumulatorCoder(CoderRegistry.createDefault(), null);
      parts.add(CoderUtils.clone(coder, acc));
    }
    Measures forward = fn.extractOutput(fn.mergeAccumulators(List.of(parts.get(0), parts.get(1), parts.get(2))));
    Measures backward = fn.extractOutput(fn.mergeAccumulators(List.of(parts.get(2), parts.get(1), parts.get(0))));
    assertThat(forward).isEqualTo(whole);
    assertThat(backward).isEqualTo(whole);

    // And equal to a textbook two-pass least-squares fit in doubles.
    double mx = points.stream().mapToDouble(p -> (p.time().getMillis() - T0.getMillis()) / 60_000.0).average().orElseThrow();
    double my = points.stream().mapToDouble(p -> p.value().doubleValue()).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (Point p : points) {
      double dx = (p.time().getMillis() - T0.getMillis()) / 60_000.0 - mx;
      sxy += dx * (p.value().doubleValue() - my);
      sxx += dx * dx;
    }
    assertThat(whole.slopePerMinute()).isCloseTo(sxy / sxx, within(1e-9));
    assertThat(whole.mean(0)).isCloseTo(my, within(1e-9));
  }
}
