package dev.millrace.io.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.model.RawRecord;
import dev.millrace.testing.BeamPipelineExtension;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.io.FileBasedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.SourceTestUtils;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(BeamPipelineExtension.class)
class JsonLinesIOTest {

  @Test
  void readsEveryLineWithItsFileAndLineNumberIncludingEmptyAndCompressedOnes(
      TestPipeline p, @TempDir Path dir) throws Exception {
    Path plain = dir.resolve("a.jsonl");
    Files.writeString(plain, "{\"x\":1}\n\n{\"x\":\"ü\"}\n", StandardCharsets.UTF_8);
    Path gz = dir.resolve("b.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write("{\"y\":2}\n".getBytes(StandardCharsets.UTF_8));
    }

    PCollection<RawRecord> records = p.apply(JsonLinesIO.read().from(dir + "/*.jsonl*"));

    PAssert.that(records)
        .containsInAnyOrder(
            RawRecord.of("{\"x\":1}", plain + ":1"),
            RawRecord.of("", plain + ":2"),
            RawRecord.of("{\"x\":\"ü\"}", plain + ":3"),
            RawRecord.of("{\"y\":2}", gz + ":1"));
    p.run().waitUntilFinish();
  }

  /**
   * A file read in ranges gives every line, with its number, as the whole-file read does (the JDK's
   * {@code readLine} over the whole content is the reference): CR LF, lone CRs, empty lines, characters
   * of two to four bytes, malformed UTF-8, a CR LF split over the reader's 64 KB buffer and a last line
   * without a line feed, over ranges of a few bytes each.
   */
  @Test
  void aFileReadInRangesGivesEveryLineWithTheNumberOfAWholeFileRead(TestPipeline p, @TempDir Path dir)
      throws Exception {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.write(("{\"long\":\"" + "x".repeat((64 << 10) - 12) + "\"}").getBytes(StandardCharsets.UTF_8));
    assertThat(content.size()).as("the CR is the buffer's last byte").isEqualTo((64 << 10) - 1);
    content.write("\r\n".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 40; i++) {
      content.write(("{\"n\":" + i + ",\"s\":\"" + "ü€😀".repeat(i % 4) + "\"}").getBytes(StandardCharsets.UTF_8));
      if (i % 9 == 4) {
        content.write(new byte[] {(byte) 0xE2, (byte) 0x82}); // a character cut short by the line end
      }
      content.write((i % 7 == 3 ? "\r\n" : i % 11 == 5 ? "\r" : i % 13 == 6 ? "\n\n" : "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    content.write("{\"last\":true}".getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("ranges.jsonl");
    Files.write(file, content.toByteArray());
    List<RawRecord> expected = new ArrayList<>();
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(new ByteArrayInputStream(content.toByteArray()), decoder))) {
      long n = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        expected.add(RawRecord.of(line, file + ":" + ++n));
      }
    }
    assertThat(expected).hasSizeGreaterThan(40);
    assertThat(expected.stream().filter(r -> r.payload().contains("\uFFFD"))).hasSize(4);

    PipelineOptions options = PipelineOptionsFactory.create();
    List<? extends FileBasedSource<List<RawRecord>>> whole = JsonLinesIO.source(file.toString(), 1).split(1L << 40, options);
    assertThat(whole).hasSize(1);
    long size = Files.size(file);
    List<List<Long>> cuts = new ArrayList<>();
    List<Long> every50 = new ArrayList<>();
    for (long at = 50; at < size; at += 50) {
      every50.add(at);
    }
    cuts.add(every50);
    for (long at : new long[] {(64 << 10) - 2, (64 << 10) - 1, 64 << 10, (64 << 10) + 1}) {
      cuts.add(List.of(at)); // just before, at, inside and after the CR LF that ends the long line
    }
    cuts.add(List.of(size - 700, size - 300)); // ranges of several lines each
    for (List<Long> at : cuts) {
      List<RawRecord> read = new ArrayList<>();
      long start = 0;
      for (long end : at) {
        read.addAll(lines(whole.get(0).createSourceForSubrange(start, end), options));
        start = end;
      }
      read.addAll(lines(whole.get(0).createSourceForSubrange(start, size), options));
      assertThat(read).as("ranges cut at %s", at.size() > 3 ? "every 50 bytes" : at).containsExactlyElementsOf(expected);
    }
    PAssert.that(p.apply("ReadWhole", JsonLinesIO.read().from(file.toString()))).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void onlyAnUncompressedFileIsSplitIntoRanges(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("plain.jsonl"), "{}\n".repeat(1000), StandardCharsets.UTF_8);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("big.jsonl.gz")))) {
      out.write("{}\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
    }
    PipelineOptions options = PipelineOptionsFactory.create();
    assertThat(JsonLinesIO.source(dir + "/plain.jsonl", 1).split(300, options)).hasSize(10);
    List<? extends BoundedSource<List<RawRecord>>> compressed =
        JsonLinesIO.source(dir + "/big.jsonl.gz", 1).split(10, options);
    assertThat(compressed).as("compressed: read whole").hasSize(1);
    assertThat(lines(compressed.get(0), options)).hasSize(1000);
  }

  /** What a source reads, one record per line (a source's element is a batch of lines). */
  private static List<RawRecord> lines(BoundedSource<List<RawRecord>> source, PipelineOptions options)
      throws Exception {
    List<RawRecord> lines = new ArrayList<>();
    SourceTestUtils.readFromSource(source, options).forEach(lines::addAll);
    return lines;
  }

  @Test
  void aGlobThatMatchesNothingFailsTheRun(TestPipeline p, @TempDir Path dir) {
    p.apply(JsonLinesIO.read().from(dir + "/nothing-*.jsonl"));
    assertThatThrownBy(() -> p.run().waitUntilFinish())
        .hasStackTraceContaining("nothing-*.jsonl");
  }

  @Test
  void refusesAnEmptyPattern() {
    assertThatThrownBy(() -> JsonLinesIO.read().from(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("filepattern");
    assertThat(JsonLinesIO.read().from("x.jsonl")).isNotNull();
  }
}
