package dev.millrace.io.kinesis;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import dev.millrace.model.Accounting;
import dev.millrace.model.RawRecord;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisIO;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisPartitioner;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.util.concurrent.Uninterruptibles;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * Reads a Kinesis stream (Beam's aws2 {@code KinesisIO}) as {@link RawRecord}s whose source is
 * {@code <stream>/<shard>/<sequence number>}. The watermark follows the payloads' {@code event_time}
 * (less a maximum out-of-orderness), not arrival time, so replayed old events land in their own
 * windows; a shard idle for longer than the idle timeout stops holding it back. Region and
 * credentials come from Beam's {@code AwsOptions} and the default chain; the endpoint can be set for
 * Kinesis alone (an emulator on another port than an S3 server).
 *
 * <pre>{@code
 * PCollection<RawRecord> records = p.apply("ReadKinesis",
 *     KinesisRecordsIO.read().withStreamName("clicks").withMaxNumRecords(10_000));
 * }</pre>
 */
public final class KinesisRecordsIO {
  private KinesisRecordsIO() {}

  public static Read read() {
    return new AutoValue_KinesisRecordsIO_Read.Builder()
        .setInitialPosition("TRIM_HORIZON")
        .setMaxOutOfOrderness(Duration.standardSeconds(30))
        .setIdleTimeout(Duration.standardMinutes(1))
        .setPayloadEventTime(new JsonEventTime())
        .setUnboundedLimit(false)
        .build();
  }

  /** A record's event time from its payload, or null when it has none (it will be a dead letter). */
  public interface PayloadEventTime extends SerializableFunction<String, @Nullable Instant> {}

  /** The {@code event_time} field of a JSON record (the default). */
  public static final class JsonEventTime implements PayloadEventTime {
    private static final Pattern EVENT_TIME = Pattern.compile("\"event_time\"\\s*:\\s*\"([^\"]{10,40})\"");

    @Override
    public @Nullable Instant apply(String payload) {
      Matcher m = EVENT_TIME.matcher(payload);
      if (m.find()) {
        try {
          return new Instant(OffsetDateTime.parse(m.group(1)).toInstant().toEpochMilli());
        } catch (RuntimeException e) {
          // not a timestamp
        }
      }
      return null;
    }
  }

  /** The read; see {@link KinesisRecordsIO}. */
  @AutoValue
  public abstract static class Read extends PTransform<PBegin, PCollection<RawRecord>> {
    abstract @Nullable String streamName();

    /** LATEST, TRIM_HORIZON, or an ISO-8601 instant. */
    abstract String initialPosition();

    abstract @Nullable Long maxNumRecords();

    abstract @Nullable Duration maxReadTime();

    abstract Duration maxOutOfOrderness();

    abstract Duration idleTimeout();

    abstract @Nullable String endpoint();

    abstract PayloadEventTime payloadEventTime();

    abstract boolean unboundedLimit();

    abstract Builder toBuilder();

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setStreamName(String name);

      abstract Builder setPayloadEventTime(PayloadEventTime fn);

      abstract Builder setInitialPosition(String position);

      abstract Builder setMaxNumRecords(@Nullable Long max);

      abstract Builder setMaxReadTime(@Nullable Duration max);

      abstract Builder setMaxOutOfOrderness(Duration d);

      abstract Builder setIdleTimeout(Duration d);

      abstract Builder setEndpoint(@Nullable String endpoint);

      abstract Builder setUnboundedLimit(boolean unbounded);

      abstract Read build();
    }

    public Read withStreamName(String streamName) {
      checkArgument(streamName != null && !streamName.isBlank(), "streamName must not be empty, but was: %s", streamName);
      return toBuilder().setStreamName(streamName).build();
    }

    /** Where to start: {@code LATEST}, {@code TRIM_HORIZON}, or an ISO-8601 instant. */
    public Read withInitialPosition(String position) {
      checkArgument(position != null && parsePosition(position) != null,
          "initial position must be LATEST, TRIM_HORIZON or an ISO-8601 instant, but was: %s", position);
      return toBuilder().setInitialPosition(position).build();
    }

    /** Stop after this many records (a bounded read, for tests and backfills). */
    public Read withMaxNumRecords(long max) {
      checkArgument(max > 0, "maxNumRecords must be > 0, but was: %s", max);
      return toBuilder().setMaxNumRecords(max).build();
    }

    /**
     * Keeps a read with {@link #withMaxNumRecords} unbounded: after the records, the watermark moves
     * to the end of time, so every window is final and the runner ends the job, but the output is
     * not a bounded collection: a streaming job stays one (Spark's streaming mode runs unbounded
     * input only). The read time limit, if any, is not applied then.
     */
    public Read withUnboundedLimit() {
      return toBuilder().setUnboundedLimit(true).build();
    }

    /** Stop after reading for this long (a bounded read). */
    public Read withMaxReadTime(Duration max) {
      checkArgument(max != null && max.isLongerThan(Duration.ZERO), "maxReadTime must be positive, but was: %s", max);
      return toBuilder().setMaxReadTime(max).build();
    }

    /** How far behind the newest event time the watermark stays. */
    public Read withMaxOutOfOrderness(Duration d) {
      checkArgument(d != null && !d.isShorterThan(Duration.ZERO), "maxOutOfOrderness must not be negative, but was: %s", d);
      return toBuilder().setMaxOutOfOrderness(d).build();
    }

    /** After this long without records, a shard stops holding the watermark back. */
    public Read withIdleTimeout(Duration d) {
      checkArgument(d != null && d.isLongerThan(Duration.ZERO), "idleTimeout must be positive, but was: %s", d);
      return toBuilder().setIdleTimeout(d).build();
    }

    /** Where a payload's event time is (default: the JSON field {@code event_time}). */
    public Read withPayloadEventTime(PayloadEventTime fn) {
      checkArgument(fn != null, "payload event time function must not be null");
      return toBuilder().setPayloadEventTime(fn).build();
    }

    /** A Kinesis endpoint of its own (an emulator); otherwise {@code --endpoint} or AWS. */
    public Read withEndpoint(String endpoint) {
      checkArgument(endpoint != null && URI.create(endpoint).getHost() != null, "endpoint must be a URL, but was: %s", endpoint);
      return toBuilder().setEndpoint(endpoint).build();
    }

    @Override
    public PCollection<RawRecord> expand(PBegin input) {
      String stream = streamName();
      checkArgument(stream != null, "KinesisRecordsIO.read() needs withStreamName(...)");
      EventTimeFn eventTime = new EventTimeFn(maxOutOfOrderness(), payloadEventTime());
      Duration idleTimeout = idleTimeout();
      KinesisIO.Read read =
          KinesisIO.read()
              .withStreamName(stream)
              .withCustomWatermarkPolicy(() -> new EventTimeWatermarkPolicy(eventTime, idleTimeout));
      Object position = parsePosition(initialPosition());
      read = position instanceof Instant
          ? read.withInitialTimestampInStream((Instant) position)
          : read.withInitialPositionInStream((InitialPositionInStream) position);
      if (endpoint() != null) {
        read = read.withClientConfiguration(clientFor(endpoint()));
      }
      // KinesisIO stamps records with their arrival time; wrap its source so that they carry their
      // event time from the start (see EventTimeSource).
      EventTimeSource<KinesisRecord, UnboundedSource.CheckpointMark> source =
          new EventTimeSource<>(kinesisSource(read, input.getPipeline().getOptions()), eventTime::eventTime);
      PCollection<KinesisRecord> records;
      if (maxNumRecords() == null && maxReadTime() == null) {
        records = input.apply("ReadKinesis", org.apache.beam.sdk.io.Read.from(source));
      } else if (maxNumRecords() != null && unboundedLimit()) {
        records = input.apply("ReadKinesis", org.apache.beam.sdk.io.Read.from(source.withLimit(maxNumRecords())));
      } else {
        // Not Read.Unbounded#withMaxNumRecords: Beam splits that limit evenly over the shards, and
        // a shard holding fewer records than its share waits for more forever.
        records =
            input
                .apply("Stream", Create.of(List.<UnboundedSource<KinesisRecord, ?>>of(source))
                    .withCoder(SerializableCoder.of(new TypeDescriptor<UnboundedSource<KinesisRecord, ?>>() {})))
                .apply("ReadKinesis", ParDo.of(new BoundedReadFn(stream, maxNumRecords(), maxReadTime())))
                .setCoder(source.getOutputCoder());
      }
      return records
          .apply("ToRawRecords", ParDo.of(new ToRawRecordFn()))
          .setCoder(RawRecord.RawRecordCoder.of());
    }
  }

  /**
   * A bounded read: one reader over every shard of the stream, until the total record limit or the
   * read time is reached. The output is bounded, so every record is on time for its event-time
   * window whatever its age.
   */
  static final class BoundedReadFn extends DoFn<UnboundedSource<KinesisRecord, ?>, KinesisRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedReadFn.class);
    private final String stream;
    private final long maxNumRecords;
    private final @Nullable Duration maxReadTime;

    BoundedReadFn(String stream, @Nullable Long maxNumRecords, @Nullable Duration maxReadTime) {
      this.stream = stream;
      this.maxNumRecords = maxNumRecords == null ? Long.MAX_VALUE : maxNumRecords;
      this.maxReadTime = maxReadTime;
    }

    @ProcessElement
    public void process(
        @Element UnboundedSource<KinesisRecord, ?> source,
        OutputReceiver<KinesisRecord> out,
        PipelineOptions options)
        throws IOException {
      long started = System.currentTimeMillis();
      long deadline = maxReadTime == null ? Long.MAX_VALUE : started + maxReadTime.getMillis();
      long nextLog = started + 10_000;
      long count = 0;
      long idleSleepMillis = 10;
      // The first split holds every shard (KinesisSource lists them when it splits); any others are
      // placeholders that read nothing (EventTimeSource.split).
      List<? extends UnboundedSource<KinesisRecord, ?>> splits;
      try {
        splits = source.split(1, options);
      } catch (Exception e) {
        throw new IOException("could not list the shards of Kinesis stream " + stream + ": " + e.getMessage(), e);
      }
      checkArgument(!splits.isEmpty(), "no split of stream %s", stream);
      try (UnboundedSource.UnboundedReader<KinesisRecord> reader = splits.get(0).createReader(options, null)) {
        boolean available = reader.start();
        while (count < maxNumRecords) {
          long now = System.currentTimeMillis();
          if (now >= nextLog) {
            LOG.info("Kinesis stream {}: {} records read so far", stream, count);
            nextLog = now + 10_000;
          }
          if (available) {
            out.outputWithTimestamp(reader.getCurrent(), reader.getCurrentTimestamp());
            count++;
            idleSleepMillis = 10;
            if (count < maxNumRecords) {
              available = reader.advance();
            }
            continue;
          }
          if (now >= deadline) {
            break;
          }
          // Nothing buffered yet: the reader's shard threads are fetching. Back off up to 1 s.
          Uninterruptibles.sleepUninterruptibly(
              Math.min(idleSleepMillis, Math.max(1, deadline - now)), TimeUnit.MILLISECONDS);
          idleSleepMillis = Math.min(1_000, idleSleepMillis * 2);
          available = reader.advance();
        }
        reader.getCheckpointMark().finalizeCheckpoint();
      }
      LOG.info("Kinesis stream {}: read {} records in {} ms", stream, count, System.currentTimeMillis() - started);
    }
  }

  /** Writes JSON records to a stream; see {@link Write}. */
  public static Write write() {
    return new AutoValue_KinesisRecordsIO_Write.Builder().setPartitionKeyField("user_id").build();
  }

  /**
   * Puts each string (a JSON record) into a Kinesis stream as one plain record, not aggregated, so
   * any consumer can read it. The partition key is a top-level string field of the record (records
   * without it spread by their own hash). Beam's KinesisIO batches, retries throttled entries and
   * fails the bundle (to be retried by the runner) if a record cannot be put.
   *
   * <pre>{@code
   * alerts.apply("AlertsToKinesis", KinesisRecordsIO.write().withStreamName("alerts").withPartitionKeyField("card_id"));
   * }</pre>
   */
  @AutoValue
  public abstract static class Write extends PTransform<PCollection<String>, PDone> {
    abstract @Nullable String streamName();

    abstract String partitionKeyField();

    abstract @Nullable String endpoint();

    abstract Builder toBuilder();

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setStreamName(String name);

      abstract Builder setPartitionKeyField(String field);

      abstract Builder setEndpoint(@Nullable String endpoint);

      abstract Write build();
    }

    public Write withStreamName(String streamName) {
      checkArgument(streamName != null && !streamName.isBlank(), "streamName must not be empty, but was: %s", streamName);
      return toBuilder().setStreamName(streamName).build();
    }

    /** The record's field whose value is the partition key (default {@code user_id}). */
    public Write withPartitionKeyField(String field) {
      checkArgument(field != null && field.matches("[A-Za-z_][A-Za-z0-9_]*"), "partition key field must be a field name, but was: %s", field);
      return toBuilder().setPartitionKeyField(field).build();
    }

    /** A Kinesis endpoint of its own (an emulator); otherwise {@code --endpoint} or AWS. */
    public Write withEndpoint(String endpoint) {
      checkArgument(endpoint != null && URI.create(endpoint).getHost() != null, "endpoint must be a URL, but was: %s", endpoint);
      return toBuilder().setEndpoint(endpoint).build();
    }

    @Override
    public PDone expand(PCollection<String> records) {
      String stream = streamName();
      checkArgument(stream != null, "KinesisRecordsIO.write() needs withStreamName(...)");
      KinesisIO.Write<String> write =
          KinesisIO.<String>write()
              .withStreamName(stream)
              .withPartitioner(new FieldPartitioner(partitionKeyField()))
              .withSerializer(record -> record.getBytes(StandardCharsets.UTF_8))
              .withRecordAggregationDisabled();
      if (endpoint() != null) {
        write = write.withClientConfiguration(clientFor(endpoint()));
      }
      records.apply("CountPut", ParDo.of(new CountFn(Accounting.counter("kinesis_records_put")))).apply("PutRecords", write);
      return PDone.in(records.getPipeline());
    }
  }

  /** Partition key: a top-level string field of the JSON record, else the record's own hash. */
  static final class FieldPartitioner implements KinesisPartitioner<String> {
    static final String NO_KEY = "no-key-";
    private final Pattern field;

    FieldPartitioner(String name) {
      this.field = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]{1,256})\"");
    }

    @Override
    public String getPartitionKey(String record) {
      Matcher m = field.matcher(record);
      return m.find() ? m.group(1) : NO_KEY + Integer.toHexString(record.hashCode());
    }
  }

  static final class CountFn extends DoFn<String, String> {
    private final Counter counter;

    CountFn(Counter counter) {
      this.counter = counter;
    }

    @ProcessElement
    public void process(@Element String record, OutputReceiver<String> out) {
      counter.inc();
      out.output(record);
    }
  }

  /** A client for an endpoint; a loopback emulator gets region us-east-1 and placeholder keys. */
  static ClientConfiguration clientFor(String endpoint) {
    URI uri = URI.create(endpoint);
    ClientConfiguration.Builder client = ClientConfiguration.builder().endpoint(uri);
    if ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost())) {
      // A local emulator checks no keys and has one region; a laptop may have no AWS setup.
      client
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    }
    return client.build();
  }

  /**
   * Whether {@code pipeline} reads a Kinesis stream unbounded ({@link #read()} without a bounded
   * limit): a runner's defaults can depend on it.
   */
  public static boolean readsUnbounded(Pipeline pipeline) {
    AtomicBoolean found = new AtomicBoolean();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getTransform() instanceof org.apache.beam.sdk.io.Read.Unbounded<?> read
                && read.getSource() instanceof EventTimeSource) {
              found.set(true);
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }
        });
    return found.get();
  }

  /** The UnboundedSource behind KinesisIO's transform, found by expanding it in a scratch pipeline. */
  @SuppressWarnings("unchecked")
  static UnboundedSource<KinesisRecord, UnboundedSource.CheckpointMark> kinesisSource(
      KinesisIO.Read read, PipelineOptions options) {
    Pipeline scratch = Pipeline.create(options);
    scratch.apply(read);
    List<UnboundedSource<KinesisRecord, ?>> sources = new ArrayList<>();
    scratch.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getTransform() instanceof org.apache.beam.sdk.io.Read.Unbounded) {
              sources.add(((org.apache.beam.sdk.io.Read.Unbounded<KinesisRecord>) node.getTransform()).getSource());
              return CompositeBehavior.DO_NOT_ENTER_TRANSFORM;
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }
        });
    checkArgument(sources.size() == 1, "expected KinesisIO to expand to one unbounded read, found %s", sources.size());
    return (UnboundedSource<KinesisRecord, UnboundedSource.CheckpointMark>) sources.get(0);
  }

  static @Nullable Object parsePosition(String position) {
    switch (position) {
      case "LATEST":
        return InitialPositionInStream.LATEST;
      case "TRIM_HORIZON":
        return InitialPositionInStream.TRIM_HORIZON;
      default:
        try {
          return new Instant(OffsetDateTime.parse(position, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli());
        } catch (RuntimeException e) {
          return null;
        }
    }
  }

  /**
   * The watermark's view of a record: its payload's {@code event_time} less the out-of-orderness, or
   * null when the payload has none. Such a record becomes a dead letter; it must not move the
   * watermark: its arrival time is "now", and one malformed record among months-old replayed events
   * would otherwise fire every window and make every later event late.
   */
  static final class EventTimeFn implements SerializableFunction<KinesisRecord, @Nullable Instant> {
    private final Duration outOfOrderness;
    private final PayloadEventTime payloadEventTime;

    EventTimeFn(Duration outOfOrderness) {
      this(outOfOrderness, new JsonEventTime());
    }

    EventTimeFn(Duration outOfOrderness, PayloadEventTime payloadEventTime) {
      this.outOfOrderness = outOfOrderness;
      this.payloadEventTime = payloadEventTime;
    }

    @Override
    public @Nullable Instant apply(KinesisRecord record) {
      Instant time = payloadTime(record);
      return time == null ? null : time.minus(outOfOrderness);
    }

    /** The record's element timestamp: its event time, or its arrival time if it has none. */
    Instant eventTime(KinesisRecord record) {
      Instant time = payloadTime(record);
      return time != null ? time : record.getApproximateArrivalTimestamp();
    }

    private @Nullable Instant payloadTime(KinesisRecord record) {
      return payloadEventTime.apply(new String(record.getDataAsBytes(), StandardCharsets.UTF_8));
    }
  }

  static final class ToRawRecordFn extends DoFn<KinesisRecord, RawRecord> {
    private final Counter read = Accounting.counter(Accounting.RECORDS_READ);

    @ProcessElement
    public void process(@Element KinesisRecord record, OutputReceiver<RawRecord> out) {
      read.inc();
      // Invalid UTF-8 becomes U+FFFD; the parser then judges the payload on its own.
      String payload = new String(record.getDataAsBytes(), StandardCharsets.UTF_8);
      out.output(RawRecord.of(payload,
          record.getStreamName() + "/" + record.getShardId() + "/" + record.getSequenceNumber()));
    }
  }
}
