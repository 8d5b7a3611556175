package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.s3.PathStyleS3ClientBuilderFactory;
import dev.millrace.io.synthetic.ClickstreamGenerator;
import dev.millrace.io.synthetic.SyntheticClickstreamConfig;
import dev.millrace.testing.BeamFiles;
import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.LocalServers;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
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
@IntegrationTest
class KinesisToS3CliTest {
  static final String KINESIS = "--kinesisEndpoint=" + LocalServers.TESTS.kinesisEndpoint();
  static final String S3 = "--endpoint=" + LocalServers.TESTS.s3Endpoint();

  @TempDir static Path dir;

  // As the README says, no option: up starts the Kinesis emulator and S3 (issue 14: it refused).
  @BeforeAll
  static void startLocalStack() throws Exception {
    LocalServers.local("up");
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

  @Test
  void aGzippedLogReplayedIntoKinesisGivesTheFileRunsResults() throws Exception {
    Path excerpt = LocalServers.root().resolve("pipelines/src/test/resources/logs/access_excerpt.log");
    List<String> lines = Files.readAllLines(excerpt, StandardCharsets.UTF_8);
    Path gz = dir.resolve("access.log.gz");
    try (Writer out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(gz)), StandardCharsets.UTF_8)) {
      for (String line : lines) {
        out.write(line + "\n");
      }
    }
    String stream = "logs-" + System.nanoTime();

    // The lines span 17 May 10:05:03 to 20 May 12:05:17 (74 h): 7.4 s at 36,000 times their pace.
    long started = System.nanoTime();
    assertThat(millrace("produce", "--stream=" + stream, "--source=file", "--input=" + gz, "--replaySpeed=36000", KINESIS))
        .as(output()).isZero();
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(output()).contains(String.format("put %,d records into %s", lines.size(), stream));
    assertThat(seconds).as("paced by the lines' own times").isBetween(7.0, 60.0);

    assertThat(millrace("run", "log-analytics", "--source=kinesis", "--stream=" + stream, "--maxRecords=" + lines.size(),
            "--maxReadTime=5m", KINESIS, "--windowSize=1h", "--output=" + dir.resolve("logs-kinesis")))
        .as(output()).isZero();
    assertThat(millrace("run", "log-analytics", "--source=file", "--input=" + gz, "--windowSize=1h",
            "--output=" + dir.resolve("logs-file")))
        .as(output()).isZero();
    String[][] datasets = {
      {"traffic_stats", "window_start", "requests", "unique_ips", "bytes", "status_2xx", "status_3xx", "status_4xx",
          "status_5xx", "bot_requests", "pane_index", "pane_timing"},
      {"top_paths", "window_start", "rank", "path", "requests"},
      {"sessions", "ip", "session_start", "session_end", "requests", "bytes", "pages"},
      {"dead_letter", "error", "message", "payload"}};
    for (String[] d : datasets) {
      String[] fields = java.util.Arrays.copyOfRange(d, 1, d.length);
      List<String> expected = rows(dir.resolve("logs-file").resolve(d[0]), fields);
      assertThat(expected).as(d[0]).isNotEmpty();
      assertThat(rows(dir.resolve("logs-kinesis").resolve(d[0]), fields)).as(d[0]).containsExactlyElementsOf(expected);
    }
  }

  // Found by hand: nothing on the local stack created an empty stream to publish to, and the job failed.
  @Test
  void aStreamPublishedToIsCreatedOnTheLocalEmulator() throws Exception {
    Path transactions = dir.resolve("transactions.jsonl");
    Path accounts = dir.resolve("accounts.jsonl");
    assertThat(millrace("generate", "--template=fraud-detection", "--maxEvents=500", "--file=" + transactions,
        "--accountsFile=" + accounts)).as(output()).isZero();
    String stream = "alerts-" + System.nanoTime();
    assertThat(millrace("run", "fraud-detection", "--source=file", "--input=" + transactions, "--accounts=" + accounts,
            "--alertsStream=" + stream, KINESIS, "--output=" + dir.resolve("fraud")))
        .as(output()).isZero();
    // Publishing to a missing stream fails the job (exit 1): exit 0 is every alert put.
    assertThat(output()).contains("Kinesis: created stream " + stream + " (1 shard) on the local emulator");
    assertThat(LocalParquetFiles.readAll(dir.resolve("fraud").resolve("alerts"))).isNotEmpty();
    assertThat(millrace("run", "fraud-detection", "--source=file", "--input=" + transactions, "--accounts=" + accounts,
            "--alertsStream=" + stream, KINESIS, "--output=" + dir.resolve("fraud-again")))
        .as(output()).isZero();
    assertThat(output()).doesNotContain("created stream");
  }

  static List<String> rows(Path dataset, String... fields) throws Exception {
    return LocalParquetFiles.rows(dataset, fields);
  }

}
