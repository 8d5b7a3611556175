package dev.millrace.pipelines.clickstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.s3.PathStyleS3ClientBuilderFactory;
import dev.millrace.io.synthetic.ClickstreamGenerator;
import dev.millrace.io.synthetic.SyntheticClickstreamConfig;
import dev.millrace.testing.BeamFiles;
import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.LocalServers;
import dev.millrace.testing.WithLocalServers;
import dev.millrace.testing.TemplateRuns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet and dead letters written to {@code s3://} through Beam's S3 filesystem, against a real
 * S3-compatible server (S3Proxy) started as a user starts it ({@code bin/millrace local up --s3}),
 * read back and compared with the same run written to local disk.
 */
@IntegrationTest
@WithLocalServers({"--s3"})
class S3OutputTest {
  static final String[] S3_ARGS = {
    "--awsRegion=us-east-1",
    "--endpoint=" + LocalServers.TESTS.s3Endpoint(),
    "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"local\",\"secretAccessKey\":\"local\"}",
    "--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName()
  };

  @TempDir static Path dir;

  static ClickstreamAnalyticsOptions options(Path input, String output) {
    List<String> args = new ArrayList<>(List.of("--source=file", "--input=" + input, "--output=" + output));
    args.addAll(List.of(S3_ARGS));
    return PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
        args.toArray(new String[0]))).as(ClickstreamAnalyticsOptions.class);
  }

  static Path download(ClickstreamAnalyticsOptions options, String prefix, Path target) throws Exception {
    return BeamFiles.download(options, prefix, target);
  }

  static List<String> rows(Path dataset, String... fields) throws Exception {
    return LocalParquetFiles.rows(dataset, fields);
  }

  @Test
  void writesTheSameDatasetsToS3AsToLocalDisk() throws Exception {
    ClickstreamGenerator generator =
        new ClickstreamGenerator(
            SyntheticClickstreamConfig.builder().setDuplicateFraction(0.02).setMalformedFraction(0.03).build());
    List<String> lines = new ArrayList<>();
    for (long n = 0; n < 5_000; n++) {
      lines.addAll(generator.recordsOf(n));
    }
    Path input = dir.resolve("clicks.jsonl");
    Files.write(input, lines, StandardCharsets.UTF_8);

    String prefix = "s3://millrace/test-" + UUID.randomUUID();
    ClickstreamAnalytics.run(options(input, prefix)).waitUntilFinish();
    ClickstreamAnalytics.run(options(input, dir.resolve("local").toString())).waitUntilFinish();

    Path fromS3 = download(options(input, prefix), prefix, dir.resolve("from-s3"));
    assertThat(LocalParquetFiles.list(fromS3.resolve("page_stats")))
        .allSatisfy(f -> assertThat(fromS3.relativize(f).toString())
            .matches("page_stats/dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/page_stats-\\d{8}T\\d{6}Z-\\d{8}T\\d{6}Z-p0-00000-of-00001\\.parquet"));
    String[] stats = {"window_start", "window_end", "page", "events", "views", "clicks", "add_to_carts",
        "purchases", "revenue", "unique_users", "pane_index", "pane_timing"};
    String[] deadLetters = {"payload", "error", "message", "source"};
    assertThat(rows(fromS3.resolve("page_stats"), stats))
        .hasSizeGreaterThan(50)
        .containsExactlyElementsOf(rows(dir.resolve("local/page_stats"), stats));
    assertThat(rows(fromS3.resolve("dead_letter"), deadLetters))
        .hasSizeGreaterThan(100)
        .containsExactlyElementsOf(rows(dir.resolve("local/dead_letter"), deadLetters));
  }
}
