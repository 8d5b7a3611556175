package dev.millrace.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/** One client's visit: requests from one IP with no gap as long as the session gap. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class ClientSession {
  @SchemaFieldNumber("0")
  @SchemaFieldName("ip")
  public abstract String getIp();

  /** The first request's time. */
  @SchemaFieldNumber("1")
  @SchemaFieldName("session_start")
  public abstract Instant getSessionStart();

  /** The last request's time. */
  @SchemaFieldNumber("2")
  @SchemaFieldName("session_end")
  public abstract Instant getSessionEnd();

  @SchemaFieldNumber("3")
  @SchemaFieldName("requests")
  public abstract long getRequests();

  @SchemaFieldNumber("4")
  @SchemaFieldName("bytes")
  public abstract long getBytes();

  /** Distinct non-null paths requested. */
  @SchemaFieldNumber("5")
  @SchemaFieldName("pages")
  public abstract long getPages();

  @SchemaCreate
  public static ClientSession create(
      String ip, Instant sessionStart, Instant sessionEnd, long requests, long bytes, long pages) {
    return new AutoValue_ClientSession(ip, sessionStart, sessionEnd, requests, bytes, pages);
  }
}
