package dev.millrace.transforms.parse;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;
import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import dev.millrace.model.ClickEvent;
import dev.millrace.model.ClickEventCoder;
import dev.millrace.model.RawRecord;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Parses and validates raw clickstream payloads into {@link ClickEvent}s whose element timestamp is
 * the record's {@code event_time}. Every invalid record goes to the bad-record error handler with its
 * original payload and source, a reason code (the bad record's description) and a message.
 *
 * <pre>{@code
 * try (ErrorHandler<BadRecord, ?> deadLetters = p.registerBadRecordErrorHandler(sink)) {
 *   PCollection<ClickEvent> events =
 *       raw.apply("ParseEvents", ParseClickEvents.create().withBadRecordErrorHandler(deadLetters));
 * }
 * }</pre>
 */
@AutoValue
public abstract class ParseClickEvents
    extends PTransform<PCollection<RawRecord>, PCollection<ClickEvent>> {

  /** Kinesis' own limit for one record. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

  abstract int maxRecordBytes();

  abstract @Nullable ErrorHandler<BadRecord, ?> badRecordErrorHandler();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setMaxRecordBytes(int maxRecordBytes);

    abstract Builder setBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler);

    abstract ParseClickEvents build();
  }

  public static ParseClickEvents create() {
    return new AutoValue_ParseClickEvents.Builder()
        .setMaxRecordBytes(DEFAULT_MAX_RECORD_BYTES)
        .build();
  }

  /** Payloads larger than this many UTF-8 bytes are rejected as {@code record_too_large}. */
  public ParseClickEvents withMaxRecordBytes(int maxRecordBytes) {
    checkArgument(maxRecordBytes > 0, "maxRecordBytes must be > 0, but was: %s", maxRecordBytes);
    return toBuilder().setMaxRecordBytes(maxRecordBytes).build();
  }

  /** Where invalid records go. Required: an invalid record is never dropped or thrown. */
  public ParseClickEvents withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    checkArgumentNotNull(handler, "handler must not be null");
    return toBuilder().setBadRecordErrorHandler(handler).build();
  }

  @Override
  public PCollection<ClickEvent> expand(PCollection<RawRecord> records) {
    ErrorHandler<BadRecord, ?> handler = badRecordErrorHandler();
    checkArgument(
        handler != null,
        "ParseClickEvents needs somewhere to put invalid records: call withBadRecordErrorHandler(...)");
    // The shared parse step: counters, dead-letter routing and event-time stamping live in one place.
    return records.apply("ParseRecords",
        ParseRecords.with(new ClickEventParser(maxRecordBytes()).asRecordParser(), ClickEventCoder.of())
            .withBadRecordErrorHandler(handler));
  }
}
