package dev.millrace.transforms.aggregate;

import dev.millrace.model.ClickEvent;
import org.apache.beam.sdk.coders.Coder;

/** Combines one page's click events into {@link PageTotals}. */
public final class PageTotalsFn extends TotalsFn<ClickEvent, PageTotals> {

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
  protected void mergeInto(PageTotals into, PageTotals other) {
    into.merge(other);
  }

  @Override
  protected Coder<PageTotals> totalsCoder() {
    return PageTotals.PageTotalsCoder.of();
  }
}
