package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.parquet.LocalParquetFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code millrace generate --fuzzFraction}: damaged records on purpose, and a run that survives them. */
class FuzzTest extends CliTestBase {
  @TempDir Path dir;

  @Test
  void everyDamagedRecordIsADeadLetterWithAReasonAndTheRunBalances() throws Exception {
    Path clean = dir.resolve("clean.jsonl");
    Path fuzzed = dir.resolve("fuzzed.jsonl");
    // Some records are already bad (malformed, empty): damage goes on top of them too.
    assertThat(run("generate", "--file=" + clean, "--maxEvents=3000", "--seed=7", "--malformedFraction=0.05")).isZero();
    assertThat(run("generate", "--file=" + fuzzed, "--maxEvents=3000", "--seed=7", "--malformedFraction=0.05",
        "--fuzzFraction=0.3")).isZero();
    assertThat(out()).containsPattern("damaged [\\d,]+ records on purpose .*RANDOM_BYTES=\\d+.*DEEP_NESTING=\\d+");

    // Same records, one per line, a third of them damaged in place.
    List<String> before = Files.readAllLines(clean, StandardCharsets.UTF_8);
    List<String> after = Files.readAllLines(fuzzed, StandardCharsets.ISO_8859_1);
    assertThat(after).hasSameSizeAs(before);
    long changed = 0;
    for (int i = 0; i < before.size(); i++) {
      if (!new String(after.get(i).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8).equals(before.get(i))) {
        changed++;
      }
    }
    assertThat(changed).isBetween(800L, 1_000L);

    Path output = dir.resolve("out");
    assertThat(run("run", "clickstream-analytics", "--source=file", "--input=" + fuzzed, "--output=" + output))
        .as(err()).isZero();
    assertThat(out()).contains("check: read").doesNotContain("does not balance");
    List<GenericRecord> deadLetters = LocalParquetFiles.readAll(output.resolve("dead_letter"));
    // A damaged record may still be valid (a byte overwritten in a page name); most are not.
    assertThat((long) deadLetters.size()).isBetween(changed * 8 / 10, changed + 200);
    assertThat(deadLetters).allSatisfy(r -> {
      assertThat(r.get("error").toString()).isNotBlank();
      assertThat(r.get("message").toString()).isNotBlank();
    });
  }
}
