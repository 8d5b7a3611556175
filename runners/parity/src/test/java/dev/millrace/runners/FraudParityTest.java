package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.kinesis.KinesisProducer;
import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.LocalServers;
import dev.millrace.testing.WithLocalServers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * fraud-detection unchanged on every runner: a generated data set (every fraud pattern, duplicates,
 * malformed records) through the Direct, Flink and Spark jars from files, and through streaming Direct,
 * Flink and Spark jobs from the local Kinesis emulator (Flink's alerts also published to a second
 * stream), gives the same alerts, fraud statistics (last panes when streaming) and dead letters row
 * for row.
 */
@IntegrationTest
@WithLocalServers({"--kinesis"})
class FraudParityTest {
  static final String ENDPOINT = LocalServers.TESTS.kinesisEndpoint();
  static final String KINESIS = "--kinesisEndpoint=" + ENDPOINT;
  static final String[] ALERTS = {"txn_id", "event_time", "account_id", "card_id", "amount", "country", "channel",
      "reasons", "risk_tier"};
  static final String[] STATS = {"window_start", "window_end", "transactions", "flagged", "flagged_amount",
      "unknown_account", "amount_spike", "foreign_country", "new_merchant_category", "velocity", "pane_index",
      "pane_timing"};
  static final String[] DEAD_LETTERS = {"error", "message", "payload"};

  @TempDir static Path dir;

  static Path run(String name, String jar, List<String> args) throws Exception {
    Path output = dir.resolve(name);
    List<String> all = new ArrayList<>(List.of("run", "fraud-detection", "--accounts=" + dir.resolve("accounts.jsonl"),
        "--windowSize=20s", "--output=" + output));
    all.addAll(args);
    assertThat(RunnerParityTest.millrace(dir, name, jar, all)).contains("Run summary: fraud-detection, DONE");
    return output;
  }

  @Test
  void directFlinkSparkAndKinesisGiveTheSameAlerts() throws Exception {
    Path transactions = dir.resolve("transactions.jsonl");
    String generated = RunnerParityTest.millrace(dir, "generate", "millrace-direct.jar", List.of("generate",
        "--template=fraud-detection", "--file=" + transactions, "--accountsFile=" + dir.resolve("accounts.jsonl"),
        "--maxEvents=4000", "--rate=20", "--syntheticAccounts=400", "--malformedFraction=0.02",
        "--duplicateFraction=0.01"));
    assertThat(generated).contains("wrote 400 accounts");
    long records = Files.lines(transactions).count();

    List<String> file = List.of("--source=file", "--input=" + transactions);
    Path direct = run("direct", "millrace-direct.jar", file);
    Path flink = run("flink", "millrace-flink.jar", concat(file, "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2"));
    Path spark = run("spark", "millrace-spark.jar", concat(file, "--runner=SparkRunner", "--sparkMaster=local[2]"));

    String stream = "txns-" + System.nanoTime();
    String alertsStream = "alerts-" + System.nanoTime();
    String produced = RunnerParityTest.millrace(dir, "produce", "millrace-direct.jar",
        List.of("produce", "--stream=" + stream, "--shards=2", "--source=file", "--input=" + transactions, KINESIS));
    assertThat(produced).contains(String.format("put %,d records", records)).contains("0 failed");
    try (KinesisClient kinesis = client()) {
      new KinesisProducer(kinesis, alertsStream).ensureStream(1);
      // Streaming jobs from the stream, on Flink (with the alerts also put into a stream), on Spark
      // (velocity and de-duplication on watermark ticks) and on Direct. The input has an end, so the
      // accounts are loaded once and all three jobs end with it.
      Path fromKinesis = run("flink-kinesis", "millrace-flink.jar", List.of("--source=kinesis", "--stream=" + stream,
          "--maxRecords=" + records, "--streaming=true", "--allowedLateness=1h", KINESIS, "--alertsStream=" + alertsStream,
          "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));

      Path sparkStreaming = run("spark-kinesis", "millrace-spark.jar", List.of("--source=kinesis", "--stream=" + stream,
          "--maxRecords=" + records, "--streaming=true", "--allowedLateness=1h", KINESIS,
          "--runner=SparkRunner", "--sparkMaster=local[2]"));
      Path directStreaming = run("direct-kinesis", "millrace-direct.jar", List.of("--source=kinesis",
          "--stream=" + stream, "--maxRecords=" + records, "--streaming=true", "--allowedLateness=1h", KINESIS));

      List<String> alerts = LocalParquetFiles.rows(direct.resolve("alerts"), ALERTS);
      assertThat(alerts).hasSizeGreaterThan(50);
      List<String> stats = LocalParquetFiles.rows(direct.resolve("fraud_stats"), STATS);
      assertThat(stats).hasSizeGreaterThanOrEqualTo(10);
      List<String> deadLetters = LocalParquetFiles.rows(direct.resolve("dead_letter"), DEAD_LETTERS);
      assertThat(deadLetters).hasSizeGreaterThan(40);
      for (Path other : List.of(flink, spark)) {
        String name = other.getFileName().toString();
        assertThat(LocalParquetFiles.rows(other.resolve("alerts"), ALERTS)).as(name + " alerts")
            .containsExactlyElementsOf(alerts);
        assertThat(LocalParquetFiles.rows(other.resolve("fraud_stats"), STATS)).as(name + " fraud_stats")
            .containsExactlyElementsOf(stats);
        assertThat(LocalParquetFiles.rows(other.resolve("dead_letter"), DEAD_LETTERS)).as(name + " dead_letter")
            .containsExactlyElementsOf(deadLetters);
      }

      for (Path streaming : List.of(directStreaming, fromKinesis, sparkStreaming)) {
        String name = streaming.getFileName().toString();
        assertThat(LocalParquetFiles.rows(streaming.resolve("alerts"), ALERTS)).as(name + " alerts")
            .containsExactlyElementsOf(alerts);
        assertThat(lastPanes(streaming)).as(name + " fraud_stats, last panes").containsExactlyElementsOf(lastPanes(direct));
        assertThat(LocalParquetFiles.rows(streaming.resolve("dead_letter"), DEAD_LETTERS)).as(name + " dead_letter")
            .containsExactlyElementsOf(deadLetters);
      }

      // The alerts stream holds one JSON record per alert.
      TreeSet<String> published = new TreeSet<>();
      for (String record : readAll(kinesis, alertsStream)) {
        published.add(record.replaceAll(".*\"txn_id\":\"([^\"]+)\".*", "$1"));
      }
      TreeSet<String> alertIds = new TreeSet<>(LocalParquetFiles.rows(direct.resolve("alerts"), "txn_id"));
      assertThat(published.stream().map(id -> id + "|").toList()).containsExactlyInAnyOrderElementsOf(alertIds);
    }
  }

  /** Each window's last fraud_stats pane, without its pane fields (a streaming run's panes are its own). */
  static List<String> lastPanes(Path output) throws Exception {
    String[] fields = java.util.Arrays.copyOf(STATS, STATS.length - 2);
    java.util.Map<String, String> last = new java.util.TreeMap<>();
    java.util.Map<String, Long> index = new java.util.HashMap<>();
    for (org.apache.avro.generic.GenericRecord r : LocalParquetFiles.readAll(output.resolve("fraud_stats"))) {
      String window = r.get("window_start") + "," + r.get("window_end");
      long pane = (long) r.get("pane_index");
      if (pane >= index.getOrDefault(window, -1L)) {
        index.put(window, pane);
        last.put(window, java.util.Arrays.stream(fields).map(f -> String.valueOf(r.get(f)))
            .collect(java.util.stream.Collectors.joining("|")));
      }
    }
    return new ArrayList<>(last.values());
  }

  static KinesisClient client() {
    return KinesisClient.builder().endpointOverride(URI.create(ENDPOINT)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
  }

  static List<String> readAll(KinesisClient kinesis, String stream) {
    List<String> records = new ArrayList<>();
    for (Shard shard : kinesis.listShards(r -> r.streamName(stream)).shards()) {
      String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shard.shardId())
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      for (int calls = 0; iterator != null && calls < 100; calls++) {
        String it = iterator;
        var response = kinesis.getRecords(r -> r.shardIterator(it).limit(10_000));
        response.records().forEach(r -> records.add(r.data().asUtf8String()));
        if (response.records().isEmpty() && response.millisBehindLatest() == 0) {
          break;
        }
        iterator = response.nextShardIterator();
      }
    }
    return records;
  }

  static List<String> concat(List<String> list, String... more) {
    List<String> all = new ArrayList<>(list);
    all.addAll(List.of(more));
    return all;
  }
}
