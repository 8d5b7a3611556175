package dev.millrace.transforms.aggregate;

import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Keeps of each record only the fields the aggregations after it read, for the steps in between: on
 * a runner every record is encoded once per consumer and again for each shuffle and sort, and the
 * fields nobody reads (a click's or request's user agent and referrer) are most of its bytes. The
 * records keep their type and coder; {@code fieldsRead} sets the unread fields to null.
 */
public final class KeepFieldsRead<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private final Class<T> type;
  private final SerializableFunction<T, T> fieldsRead;

  private KeepFieldsRead(Class<T> type, SerializableFunction<T, T> fieldsRead) {
    this.type = type;
    this.fieldsRead = fieldsRead;
  }

  public static <T> KeepFieldsRead<T> of(Class<T> type, SerializableFunction<T, T> fieldsRead) {
    return new KeepFieldsRead<>(type, fieldsRead);
  }

  /** The projection: a record with the fields nobody after it reads set to null. */
  public SerializableFunction<T, T> fieldsRead() {
    return fieldsRead;
  }

  @Override
  public PCollection<T> expand(PCollection<T> records) {
    return records
        .apply("DropUnreadFields", MapElements.into(TypeDescriptor.of(type)).via(fieldsRead))
        .setCoder(records.getCoder());
  }
}
