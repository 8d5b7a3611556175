package dev.millrace.transforms.parse;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;
import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.model.AccessLogEntry;
import dev.millrace.model.AccessLogEntryCoder;
import dev.millrace.model.Accounting;
import dev.millrace.model.BundleCounter;
import dev.millrace.transforms.aggregate.KeepFieldsRead;
import dev.millrace.model.ClickEvent;
import dev.millrace.model.ClickEventCoder;
import dev.millrace.model.RawRecord;
import dev.millrace.model.SensorReading;
import dev.millrace.model.SensorReadingCoder;
import dev.millrace.model.Transaction;
import dev.millrace.model.TransactionCoder;
import dev.millrace.model.VitalsReading;
import dev.millrace.model.VitalsReadingCoder;
import dev.millrace.transforms.campaign.AdClick;
import dev.millrace.transforms.campaign.AdEventCoders;
import dev.millrace.transforms.campaign.Conversion;
import dev.millrace.transforms.campaign.Impression;
import dev.millrace.transforms.window.EmitsAtEventTimeFn;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.BadRecordRouter;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Parses raw records by a {@link RecordParser}: valid ones come out timestamped by their event
 * time, every invalid one goes to the bad-record error handler with its payload, source, reason code
 * and message, and is counted as {@code dead_letter.<reason>}.
 *
 * <pre>{@code
 * PCollection<Transaction> transactions =
 *     raw.apply("ParseTransactions", ParseRecords.transactions(ParseRecords.DEFAULT_MAX_RECORD_BYTES)
 *         .withBadRecordErrorHandler(deadLetters));
 * }</pre>
 */
public final class ParseRecords<T> extends PTransform<PCollection<RawRecord>, PCollection<T>> {
  /** Kinesis' own limit for one record; the default of every template's {@code --maxRecordBytes}. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

  private final RecordParser<T> parser;
  private final Coder<T> coder;
  private final @Nullable ErrorHandler<BadRecord, ?> badRecordErrorHandler;
  private final @Nullable PCollectionView<? extends Iterable<?>> reference;
  private final @Nullable ReferenceCheck<T, ?> referenceCheck;
  private final @Nullable SerializableFunction<T, T> fieldsRead;

  /**
   * A rule of the contract that needs reference data (a registry side input): null when the value
   * passes, else why not. The record is then a dead letter like any other invalid one.
   */
  public interface ReferenceCheck<T, R> extends java.io.Serializable {
    @Nullable Rejection check(T value, Iterable<R> reference);
  }

  private ParseRecords(RecordParser<T> parser, Coder<T> coder, @Nullable ErrorHandler<BadRecord, ?> handler) {
    this(parser, coder, handler, null, null, null);
  }

  private ParseRecords(RecordParser<T> parser, Coder<T> coder, @Nullable ErrorHandler<BadRecord, ?> handler,
      @Nullable PCollectionView<? extends Iterable<?>> reference, @Nullable ReferenceCheck<T, ?> referenceCheck,
      @Nullable SerializableFunction<T, T> fieldsRead) {
    this.parser = parser;
    this.coder = coder;
    this.badRecordErrorHandler = handler;
    this.reference = reference;
    this.referenceCheck = referenceCheck;
    this.fieldsRead = fieldsRead;
  }

  /** Also check each parsed value against reference data (e.g. a patient must be registered). */
  public <R> ParseRecords<T> withReferenceCheck(PCollectionView<Iterable<R>> view, ReferenceCheck<T, R> check) {
    checkArgument(view != null && check != null, "view and check must not be null");
    return new ParseRecords<>(parser, coder, badRecordErrorHandler, view, check, fieldsRead);
  }

  public static <T> ParseRecords<T> with(RecordParser<T> parser, Coder<T> coder) {
    checkArgument(parser != null && coder != null, "parser and coder must not be null");
    return new ParseRecords<>(parser, coder, null);
  }

  /** The click event record contract (clickstream-analytics). */
  public static ParseRecords<ClickEvent> clickEvents(int maxRecordBytes) {
    return with(new ClickEventParser(positive(maxRecordBytes)).asRecordParser(), ClickEventCoder.of());
  }

  /**
   * Access-log lines (log-analytics), Common or Combined Log Format; blank lines are skipped and
   * counted as {@code blank_lines_skipped}.
   */
  public static ParseRecords<AccessLogEntry> accessLogs(int maxRecordBytes) {
    return with(new AccessLogParser(positive(maxRecordBytes)).asRecordParser(), AccessLogEntryCoder.of());
  }

  /** The transaction record contract (fraud-detection). */
  public static ParseRecords<Transaction> transactions(int maxRecordBytes) {
    return with(new TransactionParser(positive(maxRecordBytes)), TransactionCoder.of());
  }

  /** The vitals record contract (patient-monitoring). */
  public static ParseRecords<VitalsReading> vitals(int maxRecordBytes) {
    return with(new VitalsParser(positive(maxRecordBytes)), VitalsReadingCoder.of());
  }

  /** The sensor reading record contract (predictive-maintenance). */
  public static ParseRecords<SensorReading> sensorReadings(int maxRecordBytes) {
    return with(new SensorReadingParser(positive(maxRecordBytes)), SensorReadingCoder.of());
  }

  /** The impression record contract (campaign-analytics). */
  public static ParseRecords<Impression> impressions(int maxRecordBytes) {
    return with(new AdEventParsers.ImpressionParser(positive(maxRecordBytes)), AdEventCoders.ImpressionCoder.of());
  }

  /** The ad click record contract (campaign-analytics). */
  public static ParseRecords<AdClick> adClicks(int maxRecordBytes) {
    return with(new AdEventParsers.AdClickParser(positive(maxRecordBytes)), AdEventCoders.AdClickCoder.of());
  }

  /** The conversion record contract (campaign-analytics). */
  public static ParseRecords<Conversion> conversions(int maxRecordBytes) {
    return with(new AdEventParsers.ConversionParser(positive(maxRecordBytes)), AdEventCoders.ConversionCoder.of());
  }

  /** Records larger than this many UTF-8 bytes are rejected as {@code record_too_large}. */
  private static int positive(int maxRecordBytes) {
    checkArgument(maxRecordBytes > 0, "maxRecordBytes must be > 0, but was: %s", maxRecordBytes);
    return maxRecordBytes;
  }

  /** Where invalid records go. Required: an invalid record is never dropped or thrown. */
  public ParseRecords<T> withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    checkArgumentNotNull(handler, "handler must not be null");
    return new ParseRecords<>(parser, coder, handler, reference, referenceCheck, fieldsRead);
  }

  /**
   * Keeps of each valid value only the fields the steps after it read ({@link KeepFieldsRead}), as
   * it is parsed: the parse step's output is encoded for each of its consumers (the valid values'
   * and the dead letters' branches) on runners that do not fuse a step with two consumers (Flink's
   * batch translation), so dropping the unread fields after it was too late for that copy.
   */
  public ParseRecords<T> keepingOnly(KeepFieldsRead<T> fields) {
    checkArgumentNotNull(fields, "fields must not be null");
    return new ParseRecords<>(parser, coder, badRecordErrorHandler, reference, referenceCheck, fields.fieldsRead());
  }

  @Override
  public PCollection<T> expand(PCollection<RawRecord> records) {
    checkArgument(badRecordErrorHandler != null,
        "ParseRecords needs somewhere to put invalid records: call withBadRecordErrorHandler(...)");
    ParseFn<T> parse = new ParseFn<>(parser, reference, referenceCheck, fieldsRead);
    ParDo.MultiOutput<RawRecord, T> parDo =
        ParDo.of(parse).withOutputTags(parse.valid, TupleTagList.of(BadRecordRouter.BAD_RECORD_TAG));
    PCollectionTuple parsed =
        records.apply("ParseAndValidate", reference == null ? parDo : parDo.withSideInputs(reference));
    badRecordErrorHandler.addErrorCollection(
        parsed.get(BadRecordRouter.BAD_RECORD_TAG).setCoder(BadRecord.getCoder(records.getPipeline())));
    return parsed.get(parse.valid).setCoder(coder);
  }

  static final class ParseFn<T> extends EmitsAtEventTimeFn<RawRecord, T> {
    final TupleTag<T> valid = new TupleTag<>();
    private final RecordParser<T> parser;
    private final @Nullable PCollectionView<? extends Iterable<?>> reference;
    private final @Nullable ReferenceCheck<T, Object> referenceCheck;
    private final BundleCounter parsedCounter = BundleCounter.of(Accounting.RECORDS_PARSED);
    private final BundleCounter skippedCounter = BundleCounter.of(Accounting.BLANK_LINES_SKIPPED);
    private final @Nullable SerializableFunction<T, T> fieldsRead;
    private transient Map<String, Counter> rejectedCounters;

    @SuppressWarnings("unchecked")
    ParseFn(RecordParser<T> parser, @Nullable PCollectionView<? extends Iterable<?>> reference,
        @Nullable ReferenceCheck<T, ?> referenceCheck, @Nullable SerializableFunction<T, T> fieldsRead) {
      this.parser = parser;
      this.reference = reference;
      this.referenceCheck = (ReferenceCheck<T, Object>) referenceCheck;
      this.fieldsRead = fieldsRead;
    }

    @Setup
    public void setup() {
      rejectedCounters = new HashMap<>();
    }

    @ProcessElement
    @SuppressWarnings("unchecked")
    public void process(@Element RawRecord record, MultiOutputReceiver out, ProcessContext context) throws Exception {
      if (parser.skips(record.payload())) {
        skippedCounter.inc();
        return;
      }
      T value;
      try {
        value = parser.parse(record.payload());
        if (referenceCheck != null) {
          Rejection rejection = referenceCheck.check(value, (Iterable<Object>) context.sideInput(reference));
          if (rejection != null) {
            throw new InvalidRecordException(rejection);
          }
        }
      } catch (InvalidRecordException e) {
        String reason = e.rejection().reason();
        rejectedCounters.computeIfAbsent(reason, r -> Accounting.counter(Accounting.DEAD_LETTER_PREFIX + r)).inc();
        out.get(BadRecordRouter.BAD_RECORD_TAG).output(badRecord(record, e, reason));
        return;
      }
      parsedCounter.inc();
      // The whole value was checked; only its event time and the fields read after this step go on.
      Instant eventTime = parser.eventTimeOf(value);
      out.get(valid).outputWithTimestamp(fieldsRead == null ? value : fieldsRead.apply(value), eventTime);
    }

    @FinishBundle
    public void finishBundle() {
      parsedCounter.flush();
      skippedCounter.flush();
    }

    /**
     * The rejected record as a {@link BadRecord}: the record encoded with its coder (the dead-letter
     * sink recovers the payload and source from it), the rejection's message and reason. Built here
     * rather than by Beam's {@code BadRecordRouter}, which also writes each record as JSON with a new
     * Jackson {@code ObjectMapper} and prints the exception's stack trace: 4% of a 1M-event Flink
     * run's profile samples at 1% malformed, for 1% of its records. Neither is read: the exception
     * has no stack trace, and the sink reads the encoded record.
     */
    static BadRecord badRecord(RawRecord record, InvalidRecordException e, String reason) {
      return BadRecord.builder()
          .setRecord(BadRecord.Record.builder().addCoderAndEncodedRecord(RawRecord.RawRecordCoder.of(), record).build())
          .setFailure(BadRecord.Failure.builder().setException(e.toString()).setDescription(reason).build())
          .build();
    }
  }
}
