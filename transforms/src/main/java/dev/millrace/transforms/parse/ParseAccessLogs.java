package dev.millrace.transforms.parse;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;
import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;
import com.google.auto.value.AutoValue;
import dev.millrace.transforms.metrics.Accounting;
import dev.millrace.transforms.model.AccessLogEntry;
import dev.millrace.transforms.model.RawRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.BadRecordRouter;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

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
    PCollectionTuple parsed =
        lines.apply("ParseAndValidate",
            ParDo.of(new ParseFn(maxRecordBytes()))
                .withOutputTags(ParseFn.ENTRIES, TupleTagList.of(BadRecordRouter.BAD_RECORD_TAG)));
    handler.addErrorCollection(
        parsed.get(BadRecordRouter.BAD_RECORD_TAG).setCoder(BadRecord.getCoder(lines.getPipeline())));
    return parsed.get(ParseFn.ENTRIES);
  }

  static final class ParseFn extends DoFn<RawRecord, AccessLogEntry> {
    static final TupleTag<AccessLogEntry> ENTRIES = new TupleTag<AccessLogEntry>() {};

    private final AccessLogParser parser;
    private final Counter parsedCounter = Accounting.counter(Accounting.RECORDS_PARSED);
    private final Counter blankCounter = Accounting.counter(Accounting.BLANK_LINES_SKIPPED);
    private transient Map<String, Counter> rejectedCounters;

    ParseFn(int maxRecordBytes) {
      this.parser = new AccessLogParser(maxRecordBytes);
    }

    @Setup
    public void setup() {
      rejectedCounters = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element RawRecord line, MultiOutputReceiver out) throws Exception {
      AccessLogParser.Outcome outcome = parser.parse(line.payload());
      if (outcome.isBlank()) {
        blankCounter.inc();
        return;
      }
      AccessLogEntry entry = outcome.entry();
      if (entry != null) {
        parsedCounter.inc();
        out.get(ENTRIES).outputWithTimestamp(entry, entry.getEventTime());
        return;
      }
      Rejection rejection = checkArgumentNotNull(outcome.rejection());
      rejectedCounters
          .computeIfAbsent(rejection.reason(), r -> Accounting.counter(Accounting.DEAD_LETTER_PREFIX + r))
          .inc();
      BadRecordRouter.RECORDING_ROUTER.route(
          out, line, RawRecord.RawRecordCoder.of(), new InvalidRecordException(rejection), rejection.reason());
    }

    // Event time is the log line's own and may be earlier than the source's timestamp.
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }
}
