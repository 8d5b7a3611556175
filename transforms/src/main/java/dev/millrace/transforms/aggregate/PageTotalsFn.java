package dev.millrace.transforms.aggregate;

import dev.millrace.model.ClickEvent;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/** Combines one page's click events into {@link PageTotals}. */
public final class PageTotalsFn extends CombineFn<ClickEvent, PageTotals, PageTotals> {

  @Override
  public PageTotals createAccumulator() {
    return new PageTotals();
  }

  @Override
  public PageTotals addInput(PageTotals totals, ClickEvent event) {
    totals.add(event);
    return totals;
  }

  @Override
  public PageTotals mergeAccumulators(Iterable<PageTotals> accumulators) {
    PageTotals merged = new PageTotals();
    for (PageTotals totals : accumulators) {
      merged.merge(totals);
    }
    return merged;
  }

  @Override
  public PageTotals extractOutput(PageTotals totals) {
    return totals;
  }

  @Override
  public Coder<PageTotals> getAccumulatorCoder(CoderRegistry registry, Coder<ClickEvent> input) {
    return PageTotals.PageTotalsCoder.of();
  }

  @Override
  public Coder<PageTotals> getDefaultOutputCoder(CoderRegistry registry, Coder<ClickEvent> input) {
    return PageTotals.PageTotalsCoder.of();
  }
}
