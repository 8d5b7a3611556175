package dev.millrace.io.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.RawRecord;
import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.LocalServers;
import dev.millrace.testing.WithLocalServers;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisIO;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * Kinesis source, sink and producer against the real local emulator: a reshard in the middle of a
 * read, records aggregated by a KPL-style writer, a read that starts at a timestamp, plain records
 * written by the sink, and throttled puts retried and counted.
 */
@IntegrationTest
@WithLocalServers({"--kinesis"})
class KinesisRecordsIOTest {
  static final URI EMULATOR = URI.create(LocalServers.TESTS.kinesisEndpoint());
  static KinesisClient kinesis;

  @BeforeAll
  static void startEmulator() throws Exception {
    kinesis = client(EMULATOR);
  }

  @AfterAll
  static void stopEmulator() throws Exception {
    if (kinesis != null) {
      kinesis.close();
    }
  }

  static KinesisClient client(URI endpoint) {
    return KinesisClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .build();
  }

  static String createStream(int shards) throws InterruptedException {
    String stream = "test-" + System.nanoTime();
    assertThat(new KinesisProducer(kinesis, stream).ensureStream(shards)).isTrue();
    return stream;
  }

  static void awaitActive(String stream) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary().streamStatus()
          == StreamStatus.ACTIVE) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(stream + " did not become ACTIVE");
  }

  static List<String> records(int from, int to) {
    List<String> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      records.add("{\"event_id\":\"e-" + i + "\",\"event_time\":\"2026-03-01T10:00:00Z\",\"user_id\":\"u-" + (i % 37) + "\"}");
    }
    return records;
  }

  static void put(String stream, List<String> records) {
    for (int from = 0; from < records.size(); from += 500) {
      List<PutRecordsRequestEntry> batch = new ArrayList<>();
      for (String record : records.subList(from, Math.min(records.size(), from + 500))) {
        batch.add(KinesisProducer.entry(record));
      }
      assertThat(kinesis.putRecords(r -> r.streamName(stream).records(batch)).failedRecordCount()).isZero();
    }
  }

  /** Every record of every shard (parents and children), by shard id. */
  static Map<String, List<String>> readAll(String stream) {
    Map<String, List<String>> byShard = new HashMap<>();
    for (Shard shard : kinesis.listShards(r -> r.streamName(stream)).shards()) {
      String iterator =
          kinesis.getShardIterator(r -> r.streamName(stream).shardId(shard.shardId())
                  .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      List<String> records = byShard.computeIfAbsent(shard.shardId(), s -> new ArrayList<>());
      for (int calls = 0; iterator != null && calls < 50; calls++) {
        String it = iterator;
        var response = kinesis.getRecords(r -> r.shardIterator(it).limit(10_000));
        for (Record record : response.records()) {
          records.add(new String(record.data().asByteArray(), StandardCharsets.UTF_8)); // lenient: KPL aggregates are binary
        }
        if (response.records().isEmpty() && response.millisBehindLatest() == 0) {
          break;
        }
        iterator = response.nextShardIterator();
      }
    }
    return byShard;
  }

  static Pipeline pipeline() {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setBlockOnRun(false);
    options.as(AwsOptions.class).setAwsRegion(Region.US_EAST_1);
    return Pipeline.create(options);
  }

  @Test
  void aReshardInTheMiddleOfAReadLosesAndDuplicatesNothing() throws Exception {
    String stream = createStream(1);
    List<String> before = records(0, 1_500);
    List<String> after = records(1_500, 3_000);
    List<String> all = new ArrayList<>(before);
    all.addAll(after);

    Pipeline p = pipeline();
    PCollection<String> payloads =
        p.apply(KinesisRecordsIO.read().withStreamName(stream).withEndpoint(EMULATOR.toString())
                .withMaxNumRecords(all.size()).withMaxReadTime(Duration.standardMinutes(3)))
            .apply(MapElements.into(TypeDescriptors.strings()).via(RawRecord::payload));
    PAssert.that(payloads).containsInAnyOrder(all);
    PipelineResult result = p.run();

    put(stream, before);
    Thread.sleep(2_000); // the reader is now reading the parent shard
    String parent = kinesis.listShards(r -> r.streamName(stream)).shards().get(0).shardId();
    kinesis.splitShard(r -> r.streamName(stream).shardToSplit(parent)
        .newStartingHashKey(BigInteger.ONE.shiftLeft(127).toString()));
    awaitActive(stream);
    put(stream, after);

    assertThat(result.waitUntilFinish(org.joda.time.Duration.standardMinutes(4))).isEqualTo(PipelineResult.State.DONE);
    Map<String, List<String>> shards = readAll(stream);
    assertThat(shards).as("the parent and its two children").hasSize(3);
    assertThat(shards.get(parent)).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void oneSplitReadsEveryShardWhateverTheParallelism() throws Exception {
    String stream = createStream(4);
    List<String> records = records(0, 400);
    put(stream, records);
    AwsOptions options = PipelineOptionsFactory.create().as(AwsOptions.class);
    options.setAwsRegion(Region.US_EAST_1);
    KinesisIO.Read read = KinesisIO.read().withStreamName(stream)
        .withInitialPositionInStream(InitialPositionInStream.TRIM_HORIZON)
        .withClientConfiguration(KinesisRecordsIO.clientFor(EMULATOR.toString()));
    EventTimeSource<KinesisRecord, UnboundedSource.CheckpointMark> source =
        new EventTimeSource<>(KinesisRecordsIO.kinesisSource(read, options), KinesisRecord::getApproximateArrivalTimestamp);

    // Two reading splits on one Flink task (a restore at lower parallelism) made it read about one
    // record a second: Beam's reader waits 1 s on a split that has nothing before the task turns to
    // the next.
    // Placeholders make up the rest: a Flink source task with no split at all never moved its
    // watermark. They answer at once, with the end of time as their watermark.
    var splits = source.split(3, options);
    assertThat(splits).hasSize(EventTimeSource.MIN_SPLITS);
    assertThat(splits.stream().filter(split -> !split.isPlaceholder())).hasSize(1);
    for (var placeholder : splits.subList(1, splits.size())) {
      assertThat(placeholder.isPlaceholder()).isTrue();
      try (UnboundedSource.UnboundedReader<KinesisRecord> reader = placeholder.createReader(options, null)) {
        long started = System.nanoTime();
        assertThat(reader.start()).isFalse();
        assertThat(reader.advance()).isFalse();
        assertThat(System.nanoTime() - started).isLessThan(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(reader.getWatermark()).isEqualTo(org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MAX_VALUE);
      }
    }
    List<String> read4 = new ArrayList<>();
    try (UnboundedSource.UnboundedReader<KinesisRecord> reader = splits.get(0).createReader(options, null)) {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      boolean available = reader.start();
      while (read4.size() < records.size() && System.nanoTime() < deadline) {
        if (available) {
          read4.add(new String(reader.getCurrent().getDataAsBytes(), StandardCharsets.UTF_8));
        }
        available = reader.advance();
      }
    }
    assertThat(read4).as("every shard's records through the one split").containsExactlyInAnyOrderElementsOf(records);
  }

  @Test
  void recordsAggregatedByAKplStyleWriterAreReadOneByOne() throws Exception {
    String stream = createStream(2);
    List<String> records = records(0, 2_000);

    // Beam's own Kinesis writer aggregates by default (the KPL format), through the async client.
    Pipeline write = pipeline();
    write.apply(Create.of(records))
        .apply(KinesisIO.<String>write()
            .withStreamName(stream)
            .withPartitioner(new KinesisRecordsIO.FieldPartitioner("user_id"))
            .withSerializer(record -> record.getBytes(StandardCharsets.UTF_8))
            .withClientConfiguration(KinesisRecordsIO.clientFor(EMULATOR.toString())));
    assertThat(write.run().waitUntilFinish(Duration.standardMinutes(2))).isEqualTo(PipelineResult.State.DONE);
    int stored = readAll(stream).values().stream().mapToInt(List::size).sum();
    assertThat(stored).as("aggregated: fewer stream records than elements").isPositive().isLessThan(records.size() / 10);

    Pipeline read = pipeline();
    PAssert.that(readFrom(read, stream, "TRIM_HORIZON", records.size())).containsInAnyOrder(records);
    assertThat(read.run().waitUntilFinish(Duration.standardMinutes(3))).isEqualTo(PipelineResult.State.DONE);
  }

  @Test
  void aReadFromATimestampGetsWhatArrivedFromThenOnEvenPastTheLastRecord() throws Exception {
    String stream = createStream(2);
    List<String> earlier = records(0, 300);
    List<String> later = records(300, 600);
    List<String> afterStart = records(600, 900);
    put(stream, earlier);
    Thread.sleep(1_100);
    String from = java.time.Instant.now().toString();
    Thread.sleep(1_100);
    put(stream, later);

    Pipeline p = pipeline();
    PAssert.that(readFrom(p, stream, from, later.size())).containsInAnyOrder(later);
    assertThat(p.run().waitUntilFinish(Duration.standardMinutes(3))).isEqualTo(PipelineResult.State.DONE);

    // A start after the stream's last record waits at the end of each shard for what comes next.
    Thread.sleep(1_100);
    String end = java.time.Instant.now().toString();
    Thread.sleep(1_100);
    Pipeline tail = pipeline();
    PAssert.that(readFrom(tail, stream, end, afterStart.size())).containsInAnyOrder(afterStart);
    PipelineResult reading = tail.run();
    Thread.sleep(5_000); // the reader has its shard iterators by now
    put(stream, afterStart);
    assertThat(reading.waitUntilFinish(Duration.standardMinutes(3))).isEqualTo(PipelineResult.State.DONE);
  }

  /** The payloads of {@code count} records read from {@code position} on. */
  static PCollection<String> readFrom(Pipeline p, String stream, String position, int count) {
    return p.apply(KinesisRecordsIO.read().withStreamName(stream).withEndpoint(EMULATOR.toString())
            .withInitialPosition(position).withMaxNumRecords(count).withMaxReadTime(Duration.standardMinutes(2)))
        .apply(MapElements.into(TypeDescriptors.strings()).via(RawRecord::payload));
  }

  @Test
  void theSinkPutsPlainRecordsPartitionedByTheKeyField() throws Exception {
    String stream = createStream(2);
    List<String> records = records(0, 600);

    Pipeline p = pipeline();
    p.apply(Create.of(records))
        .apply(KinesisRecordsIO.write().withStreamName(stream).withEndpoint(EMULATOR.toString()));
    assertThat(p.run().waitUntilFinish(org.joda.time.Duration.standardMinutes(2))).isEqualTo(PipelineResult.State.DONE);

    Map<String, List<String>> shards = readAll(stream);
    List<String> read = new ArrayList<>();
    shards.values().forEach(read::addAll);
    assertThat(read).as("one plain JSON record per element, none aggregated").containsExactlyInAnyOrderElementsOf(records);
    Map<String, String> shardOfUser = new HashMap<>();
    shards.forEach((shard, rs) -> rs.forEach(r -> {
      String user = new KinesisRecordsIO.FieldPartitioner("user_id").getPartitionKey(r);
      assertThat(shardOfUser.putIfAbsent(user, shard)).as("shard of " + user).isIn(null, shard);
    }));
    assertThat(shards.values()).allSatisfy(rs -> assertThat(rs).isNotEmpty());
  }

  @Test
  void throttledEntriesAreRetriedWithBackoffAndCounted() throws Exception {
    String stream = createStream(2);
    List<String> records = records(0, 1_200);
    // The first two PutRecords calls have every third entry throttled.
    System.setProperty("aws.cborEnabled", "false");
    try (ThrottlingKinesisProxy proxy =
            new ThrottlingKinesisProxy(EMULATOR, (request, index, key) -> request <= 2 && index % 3 == 2);
        KinesisClient throughProxy = client(proxy.endpoint())) {
      KinesisProducer producer =
          new KinesisProducer(throughProxy, stream, 5, java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(200));
      KinesisProducer.Stats stats = producer.putAll(records.iterator(), s -> {});

      // 500 entries: 166 throttled; their retry: 55 throttled; its retry passes.
      assertThat(proxy.throttled()).isEqualTo(166 + 55);
      assertThat(stats.retries).isEqualTo(166 + 55);
      assertThat(stats.put).isEqualTo(1_200);
      assertThat(stats.failed).isZero();
    } finally {
      System.clearProperty("aws.cborEnabled");
    }
    List<String> read = new ArrayList<>();
    readAll(stream).values().forEach(read::addAll);
    assertThat(read).containsExactlyInAnyOrderElementsOf(records);
  }

  @Test
  void recordsThatCannotBePutAreCountedAsFailed() throws Exception {
    String stream = createStream(1);
    List<String> records = records(0, 100);
    records.add("{\"user_id\":\"always-throttled\"}");
    records.add("{\"user_id\":\"huge\",\"pad\":\"" + "x".repeat(KinesisProducer.MAX_RECORD_BYTES) + "\"}");
    System.setProperty("aws.cborEnabled", "false");
    try (ThrottlingKinesisProxy proxy =
            new ThrottlingKinesisProxy(EMULATOR, (request, index, key) -> key.equals("always-throttled"));
        KinesisClient throughProxy = client(proxy.endpoint())) {
      KinesisProducer.Stats stats =
          new KinesisProducer(throughProxy, stream, 3, java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(50))
              .putAll(records.iterator(), s -> {});
      assertThat(proxy.throttled()).isEqualTo(3);
      assertThat(stats.put).isEqualTo(100);
      assertThat(stats.retries).isEqualTo(2);
      assertThat(stats.failed).isEqualTo(2);
      assertThat(stats.tooLarge).isEqualTo(1);
    } finally {
      System.clearProperty("aws.cborEnabled");
    }
    List<String> read = new ArrayList<>();
    readAll(stream).values().forEach(read::addAll);
    assertThat(read).containsExactlyInAnyOrderElementsOf(records.subList(0, 100));
  }
}
