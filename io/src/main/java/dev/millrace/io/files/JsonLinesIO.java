package dev.millrace.io.files;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import dev.millrace.model.Accounting;
import dev.millrace.model.RawRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads JSON-lines files (one record per line) as {@link RawRecord}s whose source is {@code
 * <file>:<line>}. Compressed files are read by their extension ({@code .gz}, {@code .bz2}, ...).
 * Lines are kept as they are: an empty line is a record too, so the parser can reject it. A glob that
 * matches nothing fails the read instead of succeeding empty.
 *
 * <pre>{@code
 * PCollection<RawRecord> records = p.apply("ReadJsonLines", JsonLinesIO.read().from("in/*.jsonl"));
 * }</pre>
 */
public final class JsonLinesIO {
  private JsonLinesIO() {}

  public static Read read() {
    return new AutoValue_JsonLinesIO_Read.Builder().build();
  }

  /** The bounded read; see {@link JsonLinesIO}. */
  @AutoValue
  public abstract static class Read extends PTransform<PBegin, PCollection<RawRecord>> {
    abstract @Nullable String filepattern();

    abstract Builder toBuilder();

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setFilepattern(String filepattern);

      abstract Read build();
    }

    /** A file or glob on any Beam filesystem ({@code data/*.jsonl}, {@code s3://b/in/**}). */
    public Read from(String filepattern) {
      checkArgument(
          filepattern != null && !filepattern.isBlank(),
          "filepattern must not be empty, but was: %s",
          filepattern);
      return toBuilder().setFilepattern(filepattern).build();
    }

    @Override
    public PCollection<RawRecord> expand(PBegin input) {
      String filepattern = filepattern();
      checkArgument(filepattern != null, "JsonLinesIO.read() needs a file pattern: call from(...)");
      return input
          .apply(
              "MatchFiles",
              FileIO.match()
                  .filepattern(filepattern)
                  .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
          .apply("OpenFiles", FileIO.readMatches().withCompression(Compression.AUTO))
          .apply("ReadLines", ParDo.of(new ReadLinesFn()))
          .setCoder(RawRecord.RawRecordCoder.of());
    }
  }

  static final class ReadLinesFn extends DoFn<FileIO.ReadableFile, RawRecord> {
    private final Counter read = Accounting.counter(Accounting.RECORDS_READ);

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
        throws Exception {
      String name = file.getMetadata().resourceId().toString();
      // Malformed UTF-8 becomes U+FFFD rather than failing the whole file; the parser then judges
      // the line on its own.
      var decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE);
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(Channels.newInputStream(file.open()), decoder))) {
        long lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lineNumber++;
          read.inc();
          out.output(RawRecord.of(line, name + ":" + lineNumber));
        }
      }
    }
  }
}
