package dev.millrace.model.reference;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * The coder of a reference-table row that is a few strings (a campaign, a customer): each field
 * written in the order given, and the row made back from them in that order.
 */
final class StringRowCoder<V> extends AtomicCoder<V> {
  /** Makes a row from its fields, in the order of the coder's field getters. */
  interface Maker<V> extends Serializable {
    V of(String[] fields);
  }

  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private final List<SerializableFunction<V, String>> fields;
  private final Maker<V> maker;

  private StringRowCoder(List<SerializableFunction<V, String>> fields, Maker<V> maker) {
    this.fields = fields;
    this.maker = maker;
  }

  @SafeVarargs
  static <V> StringRowCoder<V> of(Maker<V> maker, SerializableFunction<V, String>... fields) {
    return new StringRowCoder<>(List.of(fields), maker);
  }

  @Override
  public void encode(V row, OutputStream out) throws IOException {
    for (SerializableFunction<V, String> field : fields) {
      STRING.encode(field.apply(row), out);
    }
  }

  @Override
  public V decode(InputStream in) throws IOException {
    String[] values = new String[fields.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = STRING.decode(in);
    }
    return maker.of(values);
  }
}
