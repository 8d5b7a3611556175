package dev.millrace.transforms.metrics;

import dev.millrace.model.BundleCounter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Passes every element through unchanged and counts it as {@code name}: the per-stream accounting of
 * a pipeline with several inputs ({@code impressions.records_read}), where the shared counters sum
 * all streams.
 */
public final class CountRecords<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private final String name;

  private CountRecords(String name) {
    this.name = name;
  }

  public static <T> CountRecords<T> as(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be empty, but was: " + name);
    }
    return new CountRecords<>(name);
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    return input.apply(ParDo.of(new CountFn<T>(name))).setCoder(input.getCoder());
  }

  static final class CountFn<T> extends DoFn<T, T> {
    private final BundleCounter counter;

    CountFn(String name) {
      this.counter = BundleCounter.of(name);
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) {
      counter.inc();
      out.output(element);
    }

    @FinishBundle
    public void finishBundle() {
      counter.flush();
    }
  }
}
