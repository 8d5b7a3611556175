package dev.millrace.io.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.model.RawRecord;
import dev.millrace.testing.BeamPipelineExtension;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.ParDo;
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
   * of two to four bytes and a last line without a line feed, over ranges of a few bytes each.
   */
  @Test
  void aFileReadInRangesGivesEveryLineWithTheNumberOfAWholeFileRead(TestPipeline p, @TempDir Path dir)
      throws Exception {
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      content.append("{\"n\":").append(i).append(",\"s\":\"").append("ü€😀".repeat(i % 4)).append("\"}")
          .append(i % 7 == 3 ? "\r\n" : i % 11 == 5 ? "\r" : i % 13 == 6 ? "\n\n" : "\n");
    }
    content.append("{\"last\":true}");
    Path file = dir.resolve("ranges.jsonl");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    List<RawRecord> expected = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new StringReader(content.toString()))) {
      long n = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        expected.add(RawRecord.of(line, file + ":" + ++n));
      }
    }
    assertThat(expected).hasSizeGreaterThan(40);

    PCollection<JsonLinesIO.LineRange> ranges = p
        .apply(FileIO.match().filepattern(file.toString()))
        .apply(FileIO.readMatches())
        .apply(ParDo.of(new JsonLinesIO.SplitIntoLineRangesFn(50)))
        .setCoder(JsonLinesIO.LineRange.LineRangeCoder.INSTANCE);
    PAssert.that(ranges).satisfies(all -> {
      List<JsonLinesIO.LineRange> sorted = new ArrayList<>();
      all.forEach(sorted::add);
      sorted.sort(Comparator.comparingLong(JsonLinesIO.LineRange::start));
      assertThat(sorted).hasSizeGreaterThan(10);
      for (int i = 1; i < sorted.size(); i++) {
        assertThat(sorted.get(i).start()).as("ranges meet").isEqualTo(sorted.get(i - 1).end());
      }
      return null;
    });
    PAssert.that(p.apply("ReadInRanges", JsonLinesIO.read().from(file.toString()).withRangeBytes(50)))
        .containsInAnyOrder(expected);
    PAssert.that(p.apply("ReadWhole", JsonLinesIO.read().from(file.toString()))).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void onlyAnUncompressedFileOverTheRangeSizeIsSpreadOverWorkers(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("small.jsonl"), "{}\n".repeat(10), StandardCharsets.UTF_8);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("big.jsonl.gz")))) {
      out.write("{}\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
    }
    assertThat(Files.size(dir.resolve("big.jsonl.gz"))).isLessThan(100);
    assertThat(JsonLinesIO.mayBeSplit(dir + "/*.jsonl*", 30)).as("30 bytes of plain text").isFalse();
    assertThat(JsonLinesIO.mayBeSplit(dir + "/*.jsonl*", 29)).isTrue();
    assertThat(JsonLinesIO.mayBeSplit(dir + "/big.jsonl.gz", 1)).as("compressed: never split").isFalse();
    assertThat(JsonLinesIO.mayBeSplit(dir + "/nothing-*.jsonl", 1)).as("not matched here").isTrue();
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
