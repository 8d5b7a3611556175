package dev.millrace.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One web server request from an access log line (Apache/Nginx "combined" format). A request line
 * that is not {@code METHOD TARGET PROTOCOL} (such as {@code "-"} on a 408) leaves method, path,
 * query and protocol null.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class AccessLogEntry {
  @SchemaFieldNumber("0")
  public abstract String getIp();

  @SchemaFieldNumber("1")
  public abstract Instant getEventTime();

  @SchemaFieldNumber("2")
  public abstract @Nullable String getMethod();

  /** The request target up to {@code ?}. */
  @SchemaFieldNumber("3")
  public abstract @Nullable String getPath();

  @SchemaFieldNumber("4")
  public abstract @Nullable String getQuery();

  @SchemaFieldNumber("5")
  public abstract @Nullable String getProtocol();

  @SchemaFieldNumber("6")
  public abstract int getStatus();

  /** Response bytes; {@code -} in the log is 0. */
  @SchemaFieldNumber("7")
  public abstract long getBytes();

  @SchemaFieldNumber("8")
  public abstract @Nullable String getReferrer();

  @SchemaFieldNumber("9")
  public abstract @Nullable String getUserAgent();

  /** The user agent names a bot, crawler, spider or slurp (any case). */
  @SchemaFieldNumber("10")
  public abstract boolean isBot();

  public static Builder builder() {
    return new AutoValue_AccessLogEntry.Builder();
  }

  public abstract Builder toBuilder();

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setIp(String ip);

    public abstract Builder setEventTime(Instant eventTime);

    public abstract Builder setMethod(@Nullable String method);

    public abstract Builder setPath(@Nullable String path);

    public abstract Builder setQuery(@Nullable String query);

    public abstract Builder setProtocol(@Nullable String protocol);

    public abstract Builder setStatus(int status);

    public abstract Builder setBytes(long bytes);

    public abstract Builder setReferrer(@Nullable String referrer);

    public abstract Builder setUserAgent(@Nullable String userAgent);

    public abstract Builder setBot(boolean bot);

    public abstract AccessLogEntry build();
  }
}
