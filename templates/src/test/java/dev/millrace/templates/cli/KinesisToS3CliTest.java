package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.s3.PathStyleS3ClientBuilderFactory;
import dev.millrace.io.synthetic.ClickstreamGenerator;
import dev.millrace.io.synthetic.SyntheticClickstreamConfig;
import dev.millrace.testing.BeamFiles;
import dev.millrace.testing.LocalServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Run against Kinesis" steps, through the command itself: produce a file of months-old
 * events (with malformed records and duplicates) into a new stream on the local emulator, run
 * clickstream-analytics from the stream to the local S3 server, and get exactly the page stats and
 * dead letters of the file run.
 */
class KinesisToS3CliTest {
  static final String KINESIS = "--kinesisEndpoint=http://127.0.0.1:4568";
  static final String S3 = "--endpoint=http://127.0.0.1:4590";

  @TempDir static Path dir;

  @BeforeAll
  static void startLocalStack() throws Exception {
    LocalServers.local("up", "--kinesis", "--s3");
  }

  @AfterAll
  static void stopLocalStack() throws Exception {
    LocalServers.local("down", "--kinesis", "--s3");
  }

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int millrace(String... args) {
    out.reset();
    err.reset();
    return new Millrace(
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .execute(args);
  }

  String output() {
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void producedThenReadFromKinesisToS3GivesTheFileRunsResults() throws Exception {
    ClickstreamGenerator generator =
        new ClickstreamGenerator(
            SyntheticClickstreamConfig.builder()
                .setSeed(11)
                .setDuplicateFraction(0.02)
                .setMalformedFraction(0.03)
                .setOutOfOrderFraction(0.3)
                .build());
    List<String> lines = new ArrayList<>();
    for (long n = 0; n < 2_000; n++) {
      lines.addAll(generator.recordsOf(n));
    }
    Path input = dir.resolve("clicks.jsonl");
    Files.write(input, lines, StandardCharsets.UTF_8);
    String stream = "cli-" + System.nanoTime();

    assertThat(millrace("produce", "--stream=" + stream, "--shards=3", "--source=file", "--input=" + input, KINESIS))
        .as(output()).isZero();
    assertThat(output())
        .contains("created stream " + stream + " with 3 shards")
        .contains(String.format("put %,d records into %s", lines.size(), stream))
        .contains("0 failed");

    String prefix = "s3://millrace/" + stream;
    assertThat(millrace("run", "clickstream-analytics", "--source=kinesis", "--stream=" + stream,
            "--maxRecords=" + lines.size(), "--maxReadTime=5m", KINESIS, S3, "--output=" + prefix))
        .as(output()).isZero();
    assertThat(output())
        .containsPattern("records read +" + String.format("%,d", lines.size()) + "\n")
        .contains("check: read").doesNotContain("\tat ");
    assertThat(millrace("run", "clickstream-analytics", "--source=file", "--input=" + input,
            "--output=" + dir.resolve("from-file")))
        .as(output()).isZero();

    Path fromKinesis =
        BeamFiles.download(
            PipelineOptionsFactory.fromArgs(S3, "--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName())
                .create(),
            prefix, dir.resolve("from-kinesis"));
    String[] stats = {"window_start", "window_end", "page", "events", "views", "clicks", "add_to_carts",
        "purchases", "revenue", "unique_users", "pane_index", "pane_timing"};
    assertThat(rows(fromKinesis.resolve("page_stats"), stats))
        .hasSizeGreaterThan(30)
        .containsExactlyElementsOf(rows(dir.resolve("from-file/page_stats"), stats));
    String[] deadLetters = {"payload", "error", "message"};
    assertThat(rows(fromKinesis.resolve("dead_letter"), deadLetters))
        .hasSizeGreaterThan(30)
        .containsExactlyElementsOf(rows(dir.resolve("from-file/dead_letter"), deadLetters));
    assertThat(LocalParquetFiles.readAll(fromKinesis.resolve("dead_letter")))
        .allSatisfy(r -> assertThat(r.get("source").toString()).matches(stream + "/shardId-\\d+/\\d+"));
  }

  static List<String> rows(Path dataset, String... fields) throws Exception {
    return LocalParquetFiles.readAll(dataset).stream()
        .map(r -> {
          StringBuilder row = new StringBuilder();
          for (String f : fields) {
            row.append(r.get(f)).append('|');
          }
          return row.toString();
        })
        .sorted()
        .collect(Collectors.toList());
  }
}
