package dev.millrace.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/** One of the most requested paths of an event-time window: the {@code top_paths} dataset. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class TopPath {
  @SchemaFieldNumber("0")
  @SchemaFieldName("window_start")
  public abstract Instant getWindowStart();

  @SchemaFieldNumber("1")
  @SchemaFieldName("window_end")
  public abstract Instant getWindowEnd();

  /** 1 for the most requested path; ties are ranked by path, ascending. */
  @SchemaFieldNumber("2")
  @SchemaFieldName("rank")
  public abstract int getRank();

  @SchemaFieldNumber("3")
  @SchemaFieldName("path")
  public abstract String getPath();

  @SchemaFieldNumber("4")
  @SchemaFieldName("requests")
  public abstract long getRequests();

  @SchemaCreate
  public static TopPath create(Instant windowStart, Instant windowEnd, int rank, String path, long requests) {
    return new AutoValue_TopPath(windowStart, windowEnd, rank, path, requests);
  }
}
