package dev.millrace.transforms.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.joda.time.Instant;

/** One of the most requested paths of an event-time window: the {@code top_paths} dataset. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class TopPath {
  @SchemaFieldName("window_start")
  public abstract Instant getWindowStart();

  @SchemaFieldName("window_end")
  public abstract Instant getWindowEnd();

  /** 1 for the most requested path; ties are ranked by path, ascending. */
  @SchemaFieldName("rank")
  public abstract int getRank();

  @SchemaFieldName("path")
  public abstract String getPath();

  @SchemaFieldName("requests")
  public abstract long getRequests();

  @SchemaCreate
  public static TopPath create(Instant windowStart, Instant windowEnd, int rank, String path, long requests) {
    return new AutoValue_TopPath(windowStart, windowEnd, rank, path, requests);
  }
}
