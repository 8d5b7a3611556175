package dev.millrace.io.deadletter;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/** One row of the {@code dead_letter} dataset. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class DeadLetter {

  /** The original record, unmodified. */
  @SchemaFieldNumber("0")
  @SchemaFieldName("payload")
  public abstract String getPayload();

  /** The machine-readable reason code, e.g. {@code missing_field}. */
  @SchemaFieldNumber("1")
  @SchemaFieldName("error")
  public abstract String getError();

  /** What is wrong, for a person. */
  @SchemaFieldNumber("2")
  @SchemaFieldName("message")
  public abstract String getMessage();

  /** Where the record came from: {@code <file>:<line>} or {@code <stream>/<shard>/<sequence>}. */
  @SchemaFieldNumber("3")
  @SchemaFieldName("source")
  public abstract String getSource();

  /** When the record was rejected. */
  @SchemaFieldNumber("4")
  @SchemaFieldName("processing_time")
  public abstract Instant getProcessingTime();

  public static DeadLetter create(
      String payload, String error, String message, String source, Instant processingTime) {
    return new AutoValue_DeadLetter(payload, error, message, source, processingTime);
  }
}
