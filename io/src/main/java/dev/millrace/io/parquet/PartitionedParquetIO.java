package dev.millrace.io.parquet;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import dev.millrace.model.Accounting;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes a windowed PCollection with a Beam schema as one Parquet dataset: {@code
 * <directory>/<dataset>/<partition>/<dataset>-<window>-p<pane>-<shard>-of-<shards>.parquet}, Snappy
 * compressed, a fixed number of shards per window and partition (never a file per bundle). Files are
 * written to a temporary name and only renamed into place when complete, so a reader's {@code
 * **}{@code /*.parquet} glob never sees a partial file. An unbounded input goes through Beam's {@code
 * WriteFiles}, whose finalizing stage makes each pane's files exactly once across restarts; a bounded
 * one through {@link WriteShardFiles}, the same files without those stages. Outputs (partition, file).
 *
 * <pre>{@code
 * stats.apply("WriteParquet", PartitionedParquetIO.<PageStats>write()
 *     .to("s3://lake/clicks").withDataset("page_stats")
 *     .withPartitioning(Partitioning.byHour("window_start")));
 * }</pre>
 */
public final class PartitionedParquetIO {
  private PartitionedParquetIO() {}

  public static <T> Write<T> write() {
    return new AutoValue_PartitionedParquetIO_Write.Builder<T>().setNumShards(1).build();
  }

  /** The write; see {@link PartitionedParquetIO}. */
  @AutoValue
  public abstract static class Write<T> extends PTransform<PCollection<T>, PCollection<KV<String, String>>> {
    abstract @Nullable String directory();

    abstract @Nullable String dataset();

    abstract @Nullable Partitioning partitioning();

    abstract int numShards();

    abstract Builder<T> toBuilder();

    @AutoValue.Builder
    abstract static class Builder<T> {
      abstract Builder<T> setDirectory(String directory);

      abstract Builder<T> setDataset(String dataset);

      abstract Builder<T> setPartitioning(Partitioning partitioning);

      abstract Builder<T> setNumShards(int numShards);

      abstract Write<T> build();
    }

    /** The output root on any Beam filesystem: a local path or {@code s3://bucket/prefix}. */
    public Write<T> to(String directory) {
      checkArgument(
          directory != null && !directory.isBlank(), "directory must not be empty, but was: %s",
          directory);
      return toBuilder().setDirectory(directory).build();
    }

    /** The dataset name: the sub-directory and the file name prefix. */
    public Write<T> withDataset(String dataset) {
      checkArgument(
          dataset != null && dataset.matches("[a-z][a-z0-9_]*"),
          "dataset must be lower_snake_case, but was: %s",
          dataset);
      return toBuilder().setDataset(dataset).build();
    }

    /** How rows are split into partition directories. */
    public Write<T> withPartitioning(Partitioning partitioning) {
      checkArgument(partitioning != null, "partitioning must not be null");
      return toBuilder().setPartitioning(partitioning).build();
    }

    /** Files per window, pane and partition. */
    public Write<T> withNumShards(int numShards) {
      checkArgument(numShards > 0, "numShards must be > 0, but was: %s", numShards);
      return toBuilder().setNumShards(numShards).build();
    }

    @Override
    public PCollection<KV<String, String>> expand(PCollection<T> input) {
      String directory = directory();
      String dataset = dataset();
      Partitioning partitioning = partitioning();
      checkArgument(directory != null, "PartitionedParquetIO.write() needs to(directory)");
      checkArgument(dataset != null, "PartitionedParquetIO.write() needs withDataset(name)");
      checkArgument(partitioning != null, "PartitionedParquetIO.write() needs withPartitioning(...)");
      checkArgument(input.hasSchema(), "PartitionedParquetIO writes PCollections with a schema");

      Schema schema = input.getSchema();
      org.apache.avro.Schema avroSchema = AvroUtils.toAvroSchema(schema, dataset, "dev.millrace");
      String datasetDirectory = directory.endsWith("/") ? directory + dataset : directory + "/" + dataset;

      PCollection<KV<String, GenericRecord>> records =
          input
              .apply(
                  "ToPartitionedRecords",
                  ParDo.of(
                      new ToPartitionedRecordFn<>(
                          input.getToRowFunction(), partitioning, avroSchema.toString(), dataset)))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(GenericRecord.class, avroSchema)))
              // Each pane's rows go into that pane's files once. The rows' own windowing may
              // accumulate panes; inherited by the write's grouping, it would write every earlier
              // pane's rows again into each later pane's file.
              .apply("OnePaneOnce", Window.<KV<String, GenericRecord>>configure().discardingFiredPanes());
      FileIO.Sink<GenericRecord> sink =
          ParquetIO.sink(avroSchema)
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .withConfiguration(new NoDefaultsConfiguration());
      PCollection<KV<String, String>> files =
          input.isBounded() == PCollection.IsBounded.BOUNDED
              ? records.apply("WriteShardFiles", new WriteShardFiles(datasetDirectory, dataset, numShards(), sink))
              : records
                  .apply(
                      "WriteFiles",
                      FileIO.<String, KV<String, GenericRecord>>writeDynamic()
                          .by(KV::getKey)
                          .withDestinationCoder(StringUtf8Coder.of())
                          .via(Contextful.fn(KV::getValue), sink)
                          .to(datasetDirectory)
                          .withNaming(partition -> new WindowedFileNaming(partition, dataset))
                          .withNumShards(numShards()))
                  .getPerDestinationOutputFilenames();
      files.apply("CountFiles", ParDo.of(new CountFilesFn(dataset)));
      return files;
    }
  }

  static final class ToPartitionedRecordFn<T> extends DoFn<T, KV<String, GenericRecord>> {
    private final SerializableFunction<T, Row> toRow;
    private final Partitioning partitioning;
    private final String avroSchemaJson;
    private final Counter rows;
    private transient org.apache.avro.Schema avroSchema;

    ToPartitionedRecordFn(
        SerializableFunction<T, Row> toRow,
        Partitioning partitioning,
        String avroSchemaJson,
        String dataset) {
      this.toRow = toRow;
      this.partitioning = partitioning;
      this.avroSchemaJson = avroSchemaJson;
      this.rows = Accounting.counter(Accounting.ROWS_WRITTEN_PREFIX + dataset);
    }

    @Setup
    public void setup() {
      avroSchema = new org.apache.avro.Schema.Parser().parse(avroSchemaJson);
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<KV<String, GenericRecord>> out) {
      Row row = toRow.apply(element);
      rows.inc();
      out.output(KV.of(partitioning.partitionOf(row), AvroUtils.toGenericRecord(row, avroSchema)));
    }
  }

  static final class CountFilesFn extends DoFn<KV<String, String>, Void> {
    private final Counter files;

    CountFilesFn(String dataset) {
      this.files = Accounting.counter(Accounting.FILES_WRITTEN_PREFIX + dataset);
    }

    @ProcessElement
    public void process() {
      files.inc();
    }
  }
}
