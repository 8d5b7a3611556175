package dev.millrace.io.deadletter;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import dev.millrace.io.parquet.FlushWindows;
import dev.millrace.io.parquet.PartitionedParquetIO;
import dev.millrace.io.parquet.Partitioning;
import dev.millrace.model.Accounting;
import dev.millrace.model.RawRecord;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The dead-letter sink: turns Beam {@link BadRecord}s into {@link DeadLetter} rows and writes them as
 * the {@code dead_letter} dataset, partitioned by the day they were rejected. Register it as the
 * pipeline's bad-record handler; every step that can reject a record routes there.
 *
 * <pre>{@code
 * try (ErrorHandler<BadRecord, ?> deadLetters =
 *     p.registerBadRecordErrorHandler(DeadLetterIO.write().to(output))) {
 *   ...
 * }
 * }</pre>
 */
public final class DeadLetterIO {
  public static final String DATASET = "dead_letter";
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.standardMinutes(1);

  private DeadLetterIO() {}

  public static Write write() {
    return new AutoValue_DeadLetterIO_Write.Builder()
        .setFlushInterval(DEFAULT_FLUSH_INTERVAL)
        .setNumShards(1)
        .build();
  }

  /** The write; see {@link DeadLetterIO}. */
  @AutoValue
  public abstract static class Write
      extends PTransform<PCollection<BadRecord>, PCollection<KV<String, String>>> {
    abstract @Nullable String directory();

    abstract Duration flushInterval();

    abstract int numShards();

    abstract Builder toBuilder();

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setDirectory(String directory);

      abstract Builder setFlushInterval(Duration flushInterval);

      abstract Builder setNumShards(int numShards);

      abstract Write build();
    }

    /** The output root; dead letters go under {@code <directory>/dead_letter/}. */
    public Write to(String directory) {
      checkArgument(
          directory != null && !directory.isBlank(), "directory must not be empty, but was: %s",
          directory);
      return toBuilder().setDirectory(directory).build();
    }

    /** In streaming, how often (processing time) collected dead letters are written out. */
    public Write withFlushInterval(Duration flushInterval) {
      checkArgument(
          flushInterval != null && flushInterval.isLongerThan(Duration.ZERO),
          "flushInterval must be a positive duration, but was: %s",
          flushInterval);
      return toBuilder().setFlushInterval(flushInterval).build();
    }

    /** Files per flush and partition. */
    public Write withNumShards(int numShards) {
      checkArgument(numShards > 0, "numShards must be > 0, but was: %s", numShards);
      return toBuilder().setNumShards(numShards).build();
    }

    @Override
    public PCollection<KV<String, String>> expand(PCollection<BadRecord> badRecords) {
      String directory = directory();
      checkArgument(directory != null, "DeadLetterIO.write() needs to(directory)");
      PCollection<DeadLetter> deadLetters =
          badRecords.apply("ToDeadLetters", ParDo.of(new ToDeadLetterFn()));
      // Dead letters are grouped by when they were rejected, not by event time: a bad record may
      // have no usable event time at all, and must not wait for an event-time window to close.
      return deadLetters
          .apply("WindowByFlush", FlushWindows.<DeadLetter>every(flushInterval(), badRecords.isBounded()))
          .apply(
              "WriteParquet",
              PartitionedParquetIO.<DeadLetter>write()
                  .to(directory)
                  .withDataset(DATASET)
                  .withPartitioning(Partitioning.byDay("processing_time"))
                  .withNumShards(numShards()));
    }
  }

  /** Recovers the original payload and source of a bad record; other record types keep their JSON. */
  static final class ToDeadLetterFn extends DoFn<BadRecord, DeadLetter> {
    private static final String RAW_RECORD_CODER = RawRecord.RawRecordCoder.of().toString();
    private final Counter written = Accounting.counter(Accounting.DEAD_LETTERS_WRITTEN);

    @ProcessElement
    public void process(@Element BadRecord bad, OutputReceiver<DeadLetter> out) throws Exception {
      BadRecord.Record record = bad.getRecord();
      BadRecord.Failure failure = bad.getFailure();
      String payload;
      String source = "";
      byte[] encoded = record.getEncodedRecord();
      if (encoded != null && RAW_RECORD_CODER.equals(record.getCoder())) {
        RawRecord raw = CoderUtils.decodeFromByteArray(RawRecord.RawRecordCoder.of(), encoded);
        payload = raw.payload();
        source = raw.source();
      } else if (record.getHumanReadableJsonRecord() != null) {
        payload = record.getHumanReadableJsonRecord();
      } else {
        payload = encoded == null ? "" : new String(encoded, StandardCharsets.UTF_8);
      }
      String message = failure.getException() == null ? "" : failure.getException();
      written.inc();
      out.output(
          DeadLetter.create(payload, failure.getDescription(), message, source, Instant.now()));
    }
  }
}
