package dev.millrace.transforms.aggregate;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * A combine whose accumulator is its output: running totals that take an input and merge other
 * totals, encoded by a coder of their own. A subclass says how to add and merge; merging into a
 * fresh accumulator, the output as it is and the one coder for both are written here once.
 */
public abstract class TotalsFn<InputT, TotalsT> extends Combine.CombineFn<InputT, TotalsT, TotalsT> {
  /** Adds {@code other}'s totals to {@code into}. */
  protected abstract void mergeInto(TotalsT into, TotalsT other);

  /** The totals' coder: for the accumulators and the output alike. */
  protected abstract Coder<TotalsT> totalsCoder();

  @Override
  public final TotalsT mergeAccumulators(Iterable<TotalsT> accumulators) {
    TotalsT merged = createAccumulator();
    for (TotalsT totals : accumulators) {
      mergeInto(merged, totals);
    }
    return merged;
  }

  @Override
  public final TotalsT extractOutput(TotalsT totals) {
    return totals;
  }

  @Override
  public final Coder<TotalsT> getAccumulatorCoder(CoderRegistry registry, Coder<InputT> input) {
    return totalsCoder();
  }

  @Override
  public final Coder<TotalsT> getDefaultOutputCoder(CoderRegistry registry, Coder<InputT> input) {
    return totalsCoder();
  }
}
