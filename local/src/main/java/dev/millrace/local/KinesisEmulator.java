package dev.millrace.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * The Kinesis API emulator: npm kinesalite behind {@code local/kinesis/server.js} (pinned there), in memory,
 * with the stream {@code clicks} (2 shards) created.
 */
final class KinesisEmulator extends SingleProcessServer {
  static final String STREAM = "clicks";

  KinesisEmulator(LocalStack stack) {
    super(stack, "kinesis", "KINESIS", "kinesis.pid", "Kinesis emulator");
  }

  @Override
  public void start() throws IOException {
    Path dir = prepare("Kinesis", "another emulator?");
    if (dir == null) {
      return;
    }
    Path server = stack.installs().kinesisEmulator();
    try {
      Processes.start("Kinesis emulator", pidFile(), dir.resolve("kinesis.log"),
          List.of("node", server.toString(), "--port", String.valueOf(port())), Map.of(), stack.root(), stack.out());
    } catch (IOException e) {
      throw new LocalStackException("Node.js is needed for the Kinesis emulator (npm kinesalite): " + e.getMessage());
    }
    try (KinesisClient kinesis = client()) {
      if (!Processes.waitFor(Duration.ofSeconds(60), () -> kinesis.listStreams().streamNames() != null)) {
        throw new LocalStackException("the Kinesis emulator did not come up; see " + dir.resolve("kinesis.log"));
      }
      try {
        kinesis.createStream(b -> b.streamName(STREAM).shardCount(2));
      } catch (RuntimeException e) {
        throw new LocalStackException("could not create the stream '" + STREAM + "': " + e.getMessage());
      }
      // CreateStream returns while the stream is CREATING; puts fail until it is ACTIVE ("ready" means usable).
      if (!Processes.waitFor(Duration.ofSeconds(30), () -> kinesis.describeStreamSummary(b -> b.streamName(STREAM))
          .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE)) {
        throw new LocalStackException("the stream '" + STREAM + "' did not become ACTIVE; see " + dir.resolve("kinesis.log"));
      }
    }
    stack.out().println("millrace local: Kinesis ready: " + endpoint() + ", stream " + STREAM + " (2 shards)");
  }

  /** A client of the emulator; it takes any credentials and region. */
  KinesisClient client() {
    return KinesisClient.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(Duration.ofSeconds(10)))
        .overrideConfiguration(c -> c.retryPolicy(r -> r.numRetries(0)))
        .build();
  }
}
