package dev.millrace.model.reference;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/** A coder for a whole {@link ReferenceTable} (a side input's value): its source, load time and rows. */
public final class ReferenceTableCoder<V, T extends ReferenceTable<V>> extends AtomicCoder<T> {
  /** Makes the table back from its decoded parts. */
  public interface Factory<V, T> extends Serializable {
    T of(List<V> rows, String source, Instant loadedAt);
  }

  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private final Coder<V> rowCoder;
  private final Factory<V, T> factory;

  private ReferenceTableCoder(Coder<V> rowCoder, Factory<V, T> factory) {
    this.rowCoder = rowCoder;
    this.factory = factory;
  }

  public static <V, T extends ReferenceTable<V>> ReferenceTableCoder<V, T> of(Coder<V> rowCoder,
      Factory<V, T> factory) {
    return new ReferenceTableCoder<>(rowCoder, factory);
  }

  @Override
  public void encode(T table, OutputStream out) throws IOException {
    STRING.encode(table.source(), out);
    LONG.encode(table.loadedAt().getMillis(), out);
    INT.encode(table.size(), out);
    for (V row : table.rows()) {
      rowCoder.encode(row, out);
    }
  }

  @Override
  public T decode(InputStream in) throws IOException {
    String source = STRING.decode(in);
    Instant loadedAt = new Instant(LONG.decode(in));
    int size = INT.decode(in);
    List<V> rows = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      rows.add(rowCoder.decode(in));
    }
    return factory.of(rows, source, loadedAt);
  }

  @Override
  public void verifyDeterministic() {}
}
