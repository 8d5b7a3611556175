package dev.millrace.testing;

import java.util.function.Function;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Counters of a finished run, as tests read them. */
public final class Counters {
  private Counters() {}

  /**
   * The attempted value of the counters named {@code name} (any namespace, any step, case ignored:
   * Beam's own {@code droppedDueToLateness} is spelt by the runner), summed.
   */
  public static long attempted(PipelineResult result, String name) {
    return sum(result, name, MetricResult::getAttempted);
  }

  /**
   * The committed value, summed likewise: for counters a step adds to in its {@code @FinishBundle}
   * (BundleCounter), whose attempted value the DirectRunner can miss.
   */
  public static long committed(PipelineResult result, String name) {
    return sum(result, name, MetricResult::getCommitted);
  }

  private static long sum(PipelineResult result, String name, Function<MetricResult<Long>, Long> value) {
    long sum = 0;
    for (MetricResult<Long> counter : result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (counter.getName().getName().equalsIgnoreCase(name)) {
        sum += value.apply(counter);
      }
    }
    return sum;
  }
}
