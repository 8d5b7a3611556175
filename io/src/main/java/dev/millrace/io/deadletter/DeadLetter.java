package dev.millrace.io.deadletter;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.joda.time.Instant;

/** One row of the {@code dead_letter} dataset. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class DeadLetter {

  /** The original record, unmodified. */
  @SchemaFieldName("payload")
  public abstract String getPayload();

  /** The machine-readable reason code, e.g. {@code missing_field}. */
  @SchemaFieldName("error")
  public abstract String getError();

  /** What is wrong, for a person. */
  @SchemaFieldName("message")
  public abstract String getMessage();

  /** Where the record came from: {@code <file>:<line>} or {@code <stream>/<shard>/<sequence>}. */
  @SchemaFieldName("source")
  public abstract String getSource();

  /** When the record was rejected. */
  @SchemaFieldName("processing_time")
  public abstract Instant getProcessingTime();

  public static DeadLetter create(
      String payload, String error, String message, String source, Instant processingTime) {
    return new AutoValue_DeadLetter(payload, error, message, source, processingTime);
  }
}
