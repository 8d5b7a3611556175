package dev.millrace.transforms.parse;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;
import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;
import com.google.auto.value.AutoValue;
import dev.millrace.model.AccessLogEntry;
import dev.millrace.model.RawRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Parses access log lines into {@link AccessLogEntry}s whose element timestamp is the request time
 * ({@code %t}). Lines that break the format go to the bad-record error handler with their source
 * (file:line or stream/shard/sequence), a reason code and a message; blank lines are skipped and
 * counted as {@code blank_lines_skipped}.
 */
@AutoValue
public abstract class ParseAccessLogs extends PTransform<PCollection<RawRecord>, PCollection<AccessLogEntry>> {
  abstract int maxRecordBytes();

  abstract @Nullable ErrorHandler<BadRecord, ?> badRecordErrorHandler();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setMaxRecordBytes(int maxRecordBytes);

    abstract Builder setBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler);

    abstract ParseAccessLogs build();
  }

  public static ParseAccessLogs create() {
    return new AutoValue_ParseAccessLogs.Builder()
        .setMaxRecordBytes(ParseClickEvents.DEFAULT_MAX_RECORD_BYTES)
        .build();
  }

  /** Lines longer than this many UTF-8 bytes are rejected as {@code record_too_large}. */
  public ParseAccessLogs withMaxRecordBytes(int maxRecordBytes) {
    checkArgument(maxRecordBytes > 0, "maxRecordBytes must be > 0, but was: %s", maxRecordBytes);
    return toBuilder().setMaxRecordBytes(maxRecordBytes).build();
  }

  /** Where invalid lines go. Required: an invalid line is never dropped or thrown. */
  public ParseAccessLogs withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    checkArgumentNotNull(handler, "handler must not be null");
    return toBuilder().setBadRecordErrorHandler(handler).build();
  }

  @Override
  public PCollection<AccessLogEntry> expand(PCollection<RawRecord> lines) {
    ErrorHandler<BadRecord, ?> handler = badRecordErrorHandler();
    checkArgument(handler != null,
        "ParseAccessLogs needs somewhere to put invalid lines: call withBadRecordErrorHandler(...)");
    Coder<AccessLogEntry> coder;
    try {
      coder = lines.getPipeline().getSchemaRegistry().getSchemaCoder(AccessLogEntry.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    // The shared parse step: counters, dead-letter routing and event-time stamping live in one place.
    return lines.apply("ParseRecords",
        ParseRecords.with(new AccessLogParser(maxRecordBytes()).asRecordParser(), coder)
            .withBadRecordErrorHandler(handler));
  }
}
