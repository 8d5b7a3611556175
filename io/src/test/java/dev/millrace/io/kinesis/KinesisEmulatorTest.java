package dev.millrace.io.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.LocalServers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The local Kinesis API emulator, started as a user starts it ({@code bin/millrace local up
 * --kinesis}), speaks the AWS SDK v2's default protocol (CBOR): the stream it creates exists with
 * two shards, and records put are read back from their shards. The ground the Kinesis source and
 * producer (issue #3) build on.
 */
class KinesisEmulatorTest {
  static KinesisClient kinesis;

  @BeforeAll
  static void startEmulator() throws Exception {
    LocalServers.local("up", "--kinesis");
    kinesis =
        KinesisClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:4568"))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build();
  }

  @AfterAll
  static void stopEmulator() throws Exception {
    if (kinesis != null) {
      kinesis.close();
    }
    LocalServers.local("down", "--kinesis");
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
}
