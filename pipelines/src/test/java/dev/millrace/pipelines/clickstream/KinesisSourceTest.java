package dev.millrace.pipelines.clickstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.synthetic.ClickstreamGenerator;
import dev.millrace.io.synthetic.SyntheticClickstreamConfig;
import dev.millrace.pipelines.summary.RunSummary;
import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.LocalServers;
import dev.millrace.testing.WithLocalServers;
import dev.millrace.testing.TemplateRuns;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Kinesis in: the same records read from a file and from a stream on the local Kinesis emulator
 * give the same page stats and the same dead letters, the stream's ones sourced by
 * stream/shard/sequence number. The events are months old: event time, not arrival, decides.
 */
@IntegrationTest
@WithLocalServers({"--kinesis"})
class KinesisSourceTest {
  @TempDir static Path dir;
  static KinesisClient kinesis;

  @BeforeAll
  static void startEmulator() throws Exception {
    kinesis =
        KinesisClient.builder()
            .endpointOverride(URI.create(LocalServers.TESTS.kinesisEndpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build();
  }

  @AfterAll
  static void stopEmulator() throws Exception {
    if (kinesis != null) {
      kinesis.close();
    }
  }

  static ClickstreamAnalyticsOptions options(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--awsRegion=us-east-1",
        "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"local\",\"secretAccessKey\":\"local\"}"));
    return PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
        all.toArray(new String[0]))).as(ClickstreamAnalyticsOptions.class);
  }

  static List<String> rows(Path dataset, String... fields) throws Exception {
    return S3OutputTest.rows(dataset, fields);
  }

  @Test
  void readsTheSameResultsFromAStreamAsFromAFile() throws Exception {
    ClickstreamGenerator generator =
        new ClickstreamGenerator(
            SyntheticClickstreamConfig.builder()
                .setSeed(3)
                .setDuplicateFraction(0.02)
                .setMalformedFraction(0.03)
                .setOutOfOrderFraction(0.3)
                .build());
    List<String> lines = new ArrayList<>();
    for (long n = 0; n < 3_000; n++) {
      lines.addAll(generator.recordsOf(n));
    }
    Path input = dir.resolve("clicks.jsonl");
    Files.write(input, lines, StandardCharsets.UTF_8);

    String stream = "clicks-test-" + System.nanoTime();
    kinesis.createStream(r -> r.streamName(stream).shardCount(2));
    for (int i = 0; i < 50
        && kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary().streamStatus()
            != StreamStatus.ACTIVE; i++) {
      Thread.sleep(100);
    }
    for (int from = 0; from < lines.size(); from += 500) {
      List<PutRecordsRequestEntry> batch = new ArrayList<>();
      for (int i = from; i < Math.min(lines.size(), from + 500); i++) {
        batch.add(PutRecordsRequestEntry.builder().partitionKey("k" + i)
            .data(SdkBytes.fromString(lines.get(i), StandardCharsets.UTF_8)).build());
      }
      assertThat(kinesis.putRecords(r -> r.streamName(stream).records(batch)).failedRecordCount()).isZero();
    }

    PipelineResult fromStream =
        ClickstreamAnalytics.run(options("--source=kinesis", "--stream=" + stream,
            "--kinesisEndpoint=" + LocalServers.TESTS.kinesisEndpoint(), "--maxRecords=" + lines.size(),
            "--output=" + dir.resolve("from-kinesis")));
    fromStream.waitUntilFinish();
    RunSummary summary = RunSummary.of(fromStream);
    assertThat(summary.read()).as(summary.format("kinesis run", "page_stats", "dead_letter")).isEqualTo(lines.size());
    ClickstreamAnalytics.run(options("--source=file", "--input=" + input, "--output=" + dir.resolve("from-file")))
        .waitUntilFinish();

    String[] stats = {"window_start", "window_end", "page", "events", "views", "clicks", "add_to_carts",
        "purchases", "revenue", "unique_users", "pane_index", "pane_timing"};
    assertThat(rows(dir.resolve("from-kinesis/page_stats"), stats))
        .as(summary.format("kinesis run", "page_stats", "dead_letter"))
        .hasSizeGreaterThan(50)
        .containsExactlyElementsOf(rows(dir.resolve("from-file/page_stats"), stats));
    String[] deadLetters = {"payload", "error", "message"};
    assertThat(rows(dir.resolve("from-kinesis/dead_letter"), deadLetters))
        .hasSizeGreaterThan(50)
        .containsExactlyElementsOf(rows(dir.resolve("from-file/dead_letter"), deadLetters));
    assertThat(LocalParquetFiles.readAll(dir.resolve("from-kinesis/dead_letter")).stream()
            .map(r -> r.get("source").toString()).collect(Collectors.toList()))
        .allSatisfy(source -> assertThat(source).matches(stream + "/shardId-\\d+/\\d+"));
    assertThat(summary.balances()).isTrue();
  }
}
