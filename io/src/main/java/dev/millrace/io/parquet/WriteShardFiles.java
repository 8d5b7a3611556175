package dev.millrace.io.parquet;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The bounded form of {@link PartitionedParquetIO}'s write: rows grouped once by partition and shard
 * (within each window and pane), and each group written as its file, to a hidden temporary name
 * beside it and then renamed into place. Same files, same names as Beam's {@code WriteFiles}, which
 * a bounded input does not need: its gathering and finalizing stages (nine operator chains per
 * dataset on Flink) exist to make streaming panes exactly once across restarts, while a bounded run
 * that retries a group rewrites the same name with the same rows.
 */
final class WriteShardFiles
    extends PTransform<PCollection<KV<String, GenericRecord>>, PCollection<KV<String, String>>> {
  private final String datasetDirectory;
  private final String dataset;
  private final int numShards;
  private final FileIO.Sink<GenericRecord> sink;

  WriteShardFiles(String datasetDirectory, String dataset, int numShards, FileIO.Sink<GenericRecord> sink) {
    this.datasetDirectory = datasetDirectory.endsWith("/") ? datasetDirectory : datasetDirectory + "/";
    this.dataset = dataset;
    this.numShards = numShards;
    this.sink = sink;
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<KV<String, GenericRecord>> rows) {
    Coder<GenericRecord> rowCoder = ((KvCoder<String, GenericRecord>) rows.getCoder()).getValueCoder();
    return rows
        .apply("AssignShards", ParDo.of(new AssignShardFn(numShards)))
        .setCoder(KvCoder.of(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()), rowCoder))
        .apply("GroupIntoShards", GroupByKey.create())
        .apply("WriteShards", ParDo.of(new WriteShardFn(datasetDirectory, dataset, numShards, sink)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
  }

  /** A row's shard from its content, so that a retried run puts each row in the same file. */
  static final class AssignShardFn extends DoFn<KV<String, GenericRecord>, KV<KV<String, Integer>, GenericRecord>> {
    private final int numShards;

    AssignShardFn(int numShards) {
      this.numShards = numShards;
    }

    @ProcessElement
    public void process(
        @Element KV<String, GenericRecord> row, OutputReceiver<KV<KV<String, Integer>, GenericRecord>> out) {
      int shard = numShards == 1 ? 0 : Math.floorMod(row.getValue().hashCode(), numShards);
      out.output(KV.of(KV.of(row.getKey(), shard), row.getValue()));
    }
  }

  /** Writes one group as one file; outputs (partition, file name). */
  static final class WriteShardFn extends DoFn<KV<KV<String, Integer>, Iterable<GenericRecord>>, KV<String, String>> {
    private final String datasetDirectory;
    private final String dataset;
    private final int numShards;
    private final FileIO.Sink<GenericRecord> sink;

    WriteShardFn(String datasetDirectory, String dataset, int numShards, FileIO.Sink<GenericRecord> sink) {
      this.datasetDirectory = datasetDirectory;
      this.dataset = dataset;
      this.numShards = numShards;
      this.sink = sink;
    }

    @ProcessElement
    public void process(
        @Element KV<KV<String, Integer>, Iterable<GenericRecord>> group,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<KV<String, String>> out)
        throws IOException {
      String partition = group.getKey().getKey();
      String name = new WindowedFileNaming(partition, dataset)
          .getFilename(window, pane, numShards, group.getKey().getValue(), Compression.UNCOMPRESSED);
      int slash = name.lastIndexOf('/');
      // Hidden and without the .parquet suffix: no reader's glob sees a file being written.
      String tempName = name.substring(0, slash + 1) + "." + name.substring(slash + 1) + "." + UUID.randomUUID() + ".tmp";
      ResourceId file = FileSystems.matchNewResource(datasetDirectory + name, false);
      ResourceId temp = FileSystems.matchNewResource(datasetDirectory + tempName, false);
      WritableByteChannel channel = FileSystems.create(temp, MimeTypes.BINARY);
      try {
        sink.open(channel);
        for (GenericRecord row : group.getValue()) {
          sink.write(row);
        }
        sink.flush();
      } finally {
        if (channel.isOpen()) {
          channel.close();
        }
      }
      FileSystems.rename(List.of(temp), List.of(file));
      out.output(KV.of(partition, file.toString()));
    }
  }
}
