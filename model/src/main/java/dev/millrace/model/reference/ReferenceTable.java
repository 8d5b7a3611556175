package dev.millrace.model.reference;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One version of a reference table (a device or patient registry), rows by id: what a side input
 * holds. Immutable; a reload makes a new table, and an element sees one version or the next, never a mix.
 */
public abstract class ReferenceTable<V> implements Serializable {
  private final Map<String, V> rows;
  private final String source;
  private final Instant loadedAt;

  protected ReferenceTable(Collection<V> rows, Function<V, String> idOf, String idName, String source,
      Instant loadedAt) {
    Map<String, V> byId = new HashMap<>(Math.max(16, rows.size() * 4 / 3 + 1));
    for (V row : rows) {
      if (byId.putIfAbsent(idOf.apply(row), row) != null) {
        throw new IllegalArgumentException(idName + " '" + idOf.apply(row) + "' appears more than once");
      }
    }
    this.rows = Collections.unmodifiableMap(byId);
    this.source = Objects.requireNonNull(source);
    this.loadedAt = Objects.requireNonNull(loadedAt);
  }

  public @Nullable V get(String id) {
    return rows.get(id);
  }

  public int size() {
    return rows.size();
  }

  public Collection<V> rows() {
    return rows.values();
  }

  /** Where the table was read from (a path or glob, or "synthetic"). */
  public String source() {
    return source;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  /** The newest of the tables a side input holds (its latest pane), or null before the first loads. */
  public static <T extends ReferenceTable<?>> @Nullable T newest(Iterable<T> tables) {
    T newest = null;
    for (T table : tables) {
      if (newest == null || table.loadedAt().isAfter(newest.loadedAt())) {
        newest = table;
      }
    }
    return newest;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + size() + " rows from " + source + " at " + loadedAt + "}";
  }
}
