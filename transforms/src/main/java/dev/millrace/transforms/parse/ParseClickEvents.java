package dev.millrace.transforms.parse;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;
import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import dev.millrace.transforms.metrics.Accounting;
import dev.millrace.transforms.model.ClickEvent;
import dev.millrace.transforms.model.ClickEventCoder;
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
    PCollectionTuple parsed =
        records.apply(
            "ParseAndValidate",
            ParDo.of(new ParseFn(maxRecordBytes()))
                .withOutputTags(ParseFn.EVENTS, TupleTagList.of(BadRecordRouter.BAD_RECORD_TAG)));
    handler.addErrorCollection(
        parsed
            .get(BadRecordRouter.BAD_RECORD_TAG)
            .setCoder(BadRecord.getCoder(records.getPipeline())));
    return parsed.get(ParseFn.EVENTS).setCoder(ClickEventCoder.of());
  }

  static final class ParseFn extends DoFn<RawRecord, ClickEvent> {
    static final TupleTag<ClickEvent> EVENTS = new TupleTag<ClickEvent>() {};

    private final ClickEventParser parser;
    private final Counter parsedCounter = Accounting.counter(Accounting.RECORDS_PARSED);
    private transient Map<String, Counter> rejectedCounters;

    ParseFn(int maxRecordBytes) {
      this.parser = new ClickEventParser(maxRecordBytes);
    }

    @Setup
    public void setup() {
      rejectedCounters = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element RawRecord record, MultiOutputReceiver out) throws Exception {
      ClickEventParser.Outcome outcome = parser.parse(record.payload());
      ClickEvent event = outcome.event();
      if (event != null) {
        parsedCounter.inc();
        out.get(EVENTS).outputWithTimestamp(event, event.getEventTime());
        return;
      }
      Rejection rejection = checkArgumentNotNull(outcome.rejection());
      rejectedCounters
          .computeIfAbsent(
              rejection.reason(), r -> Accounting.counter(Accounting.DEAD_LETTER_PREFIX + r))
          .inc();
      BadRecordRouter.RECORDING_ROUTER.route(
          out,
          record,
          RawRecord.RawRecordCoder.of(),
          new InvalidRecordException(rejection),
          rejection.reason());
    }

    // Event time comes from the payload and may be earlier than the source's timestamp (arrival
    // time, or the synthetic source's watermark-aligned time); lateness is judged downstream.
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }
}
