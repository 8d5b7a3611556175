package dev.millrace.io.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.LocalServers;
import dev.millrace.testing.WithLocalServers;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The local Kinesis API emulator, started as a user starts it ({@code bin/millrace local up
 * --kinesis}), speaks what the AWS SDK v2 speaks by default (CBOR; HTTP/1.1 from the sync client,
 * HTTP/2 from the async one): the stream it creates exists with two shards, records put are read back
 * from their shards with their arrival times, and a read from a timestamp past the last record waits
 * at the end as Kinesis does. The ground the Kinesis source, sink and producer build on.
 */
@IntegrationTest
@WithLocalServers({"--kinesis"})
class KinesisEmulatorTest {
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

  @Test
  void recordsPutToTheCreatedStreamAreReadBackFromTheirShards() {
    List<Shard> shards = kinesis.listShards(r -> r.streamName("clicks")).shards();
    assertThat(shards).hasSize(2);

    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      entries.add(
          PutRecordsRequestEntry.builder()
              .partitionKey("user-" + i)
              .data(SdkBytes.fromString("{\"n\":" + i + "}", StandardCharsets.UTF_8))
              .build());
    }
    PutRecordsResponse put = kinesis.putRecords(r -> r.streamName("clicks").records(entries));
    assertThat(put.failedRecordCount()).isZero();

    List<String> read = new ArrayList<>();
    for (Shard shard : shards) {
      String iterator =
          kinesis.getShardIterator(r -> r.streamName("clicks").shardId(shard.shardId())
                  .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
              .shardIterator();
      GetRecordsResponse records = kinesis.getRecords(r -> r.shardIterator(iterator).limit(1000));
      records.records().forEach(rec -> read.add(rec.data().asUtf8String()));
    }
    assertThat(read).hasSize(100).contains("{\"n\":0}", "{\"n\":99}");
  }

  @Test
  void theAsyncClientPutsOverHttp2AndLargeAnswersArriveWhole() throws Exception {
    String stream = "emulator-" + System.nanoTime();
    assertThat(new KinesisProducer(kinesis, stream).ensureStream(1)).isTrue();
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + i)
          .data(SdkBytes.fromString("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(100) + "\"}", StandardCharsets.UTF_8))
          .build());
    }
    Instant before = Instant.now().minusSeconds(1);
    try (KinesisAsyncClient async =
        KinesisAsyncClient.builder()
            .endpointOverride(URI.create(LocalServers.TESTS.kinesisEndpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build()) {
      // 500 results, over 16 KiB of CBOR: the emulator's encoder cut such answers short once.
      PutRecordsResponse put = async.putRecords(r -> r.streamName(stream).records(entries)).get(30, TimeUnit.SECONDS);
      assertThat(put.failedRecordCount()).isZero();
      assertThat(put.records()).hasSize(500).allSatisfy(r -> assertThat(r.sequenceNumber()).isNotBlank());
    }
    String shard = kinesis.listShards(r -> r.streamName(stream)).shards().get(0).shardId();
    String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shard)
        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    List<Record> records = kinesis.getRecords(r -> r.shardIterator(iterator).limit(1000)).records();
    assertThat(records).hasSize(500);
    assertThat(records.get(499).data().asUtf8String()).startsWith("{\"n\":499,");
    assertThat(records).allSatisfy(r -> assertThat(r.approximateArrivalTimestamp()).isBetween(before, Instant.now()));
  }

  @Test
  void aClientThatHangsUpMidRequestLeavesItServing() throws Exception {
    // A killed TaskManager leaves requests half sent; kinesalite threw on that and the process died.
    try (Socket socket = new Socket("127.0.0.1", LocalServers.TESTS.port("KINESIS"))) {
      String body = "{\"StreamName\":\"clicks\",\"Records\":[" + "{\"PartitionKey\":\"a\",\"Data\":\"eA==\"},".repeat(100);
      String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n"
          + "X-Amz-Target: Kinesis_20131202.PutRecords\r\nContent-Length: " + (body.length() + 1000) + "\r\n\r\n";
      socket.getOutputStream().write((head + body).getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      Thread.sleep(300);
      socket.setSoLinger(true, 0); // close with a reset, as a killed process does
    }
    Thread.sleep(500);
    assertThat(kinesis.listStreams().streamNames()).contains("clicks");
  }

  @Test
  void aReadFromATimestampPastTheLastRecordWaitsAtTheEnd() throws Exception {
    String stream = "emulator-" + System.nanoTime();
    assertThat(new KinesisProducer(kinesis, stream).ensureStream(1)).isTrue();
    kinesis.putRecord(r -> r.streamName(stream).partitionKey("a").data(SdkBytes.fromUtf8String("before")));
    Thread.sleep(1_100);
    Instant past = Instant.now();
    String shard = kinesis.listShards(r -> r.streamName(stream)).shards().get(0).shardId();
    long asked = System.nanoTime();
    // kinesalite itself never answered this (it waited for a record at or after the timestamp).
    String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shard)
        .shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(past)).shardIterator();
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(5));
    kinesis.putRecord(r -> r.streamName(stream).partitionKey("a").data(SdkBytes.fromUtf8String("after")));
    List<String> read = new ArrayList<>();
    kinesis.getRecords(r -> r.shardIterator(iterator)).records().forEach(rec -> read.add(rec.data().asUtf8String()));
    assertThat(read).containsExactly("after");
  }
}
