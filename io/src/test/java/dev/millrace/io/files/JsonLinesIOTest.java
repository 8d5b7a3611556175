package dev.millrace.io.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.model.RawRecord;
import dev.millrace.testing.BeamPipelineExtension;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.testing.PAssert;
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
