package dev.millrace.transforms.reference;

import dev.millrace.model.reference.ReferenceTable;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollectionView;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The newest table of a reference-data side input, read once per bundle and window instead of once
 * per element. A {@link DoFn} keeps one as a field, calls {@link #startBundle} from its
 * {@code @StartBundle} and {@link #in} where it would call {@code sideInput}.
 *
 * <p>Why: Beam's Flink runner builds an error message, the view's {@code toString()}, on every side
 * input read whether the read fails or not; that was a quarter of fraud-detection's scoring step on
 * Flink. A table reloaded while streaming is used from the bundle after it arrives (on Flink a
 * bundle ends after 1,000 elements or 1 s by default), where before it was used from the next
 * element: which transactions a reload reaches was already a matter of arrival order.
 */
public final class NewestTablePerBundle<T> implements Serializable {
  private final PCollectionView<Iterable<T>> view;
  private final SerializableFunction<Iterable<T>, @Nullable T> newest;
  private transient @Nullable Map<BoundedWindow, Optional<T>> tables;

  private NewestTablePerBundle(PCollectionView<Iterable<T>> view, SerializableFunction<Iterable<T>, @Nullable T> newest) {
    this.view = view;
    this.newest = newest;
  }

  /** The view's newest table by {@link ReferenceTable#newest}: null before the first table loads. */
  public static <T extends ReferenceTable<?>> NewestTablePerBundle<T> of(PCollectionView<Iterable<T>> view) {
    return new NewestTablePerBundle<>(view, ReferenceTable::newest);
  }

  /** The view's table as {@code newest} picks it from the side input's tables. */
  public static <T> NewestTablePerBundle<T> of(
      PCollectionView<Iterable<T>> view, SerializableFunction<Iterable<T>, @Nullable T> newest) {
    return new NewestTablePerBundle<>(view, newest);
  }

  public PCollectionView<Iterable<T>> view() {
    return view;
  }

  /** Forgets the table read in the bundle before. */
  public void startBundle() {
    tables = null;
  }

  /** The newest table for an element of {@code window}, read from the side input the first time in this bundle. */
  public @Nullable T in(DoFn<?, ?>.ProcessContext context, BoundedWindow window) {
    if (tables == null) {
      tables = new HashMap<>();
    }
    // By window, not just the last one: a bundle's elements come in any order of their windows.
    Optional<T> table = tables.get(window);
    if (table == null) {
      table = Optional.ofNullable(newest.apply(context.sideInput(view)));
      tables.put(window, table);
    }
    return table.orElse(null);
  }
}
