package dev.millrace.io.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.LocalServers;
import dev.millrace.testing.WithLocalServers;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The producer against an emulator that stops answering mid-run ({@code bin/millrace local pause
 * kinesis}: SIGSTOP, the outage a client sees as timeouts, with the data kept): it rides the outage
 * out, every record is put, and the stream holds no more extra copies than it reported. (The server
 * applies each timed-out request when it resumes, so every unanswered attempt can add a copy.)
 */
@IntegrationTest
@WithLocalServers({"--kinesis"})
class KinesisProducerOutageTest {
  static final Pattern EVENT_ID = Pattern.compile("\"event_id\":\"([^\"]+)\"");

  @BeforeAll
  static void startEmulator() throws Exception {
    KinesisRecordsIOTest.kinesis = KinesisRecordsIOTest.client(KinesisRecordsIOTest.EMULATOR);
  }

  @AfterAll
  static void stopEmulator() throws Exception {
    LocalServers.local("resume", "kinesis");
    KinesisRecordsIOTest.kinesis.close();
  }

  @Test
  void aPausedEmulatorIsRiddenOutAndEveryExtraCopyWasReported() throws Exception {
    String stream = KinesisRecordsIOTest.createStream(2);
    List<String> records = KinesisRecordsIOTest.records(0, 20_000);
    AtomicBoolean paused = new AtomicBoolean();
    CompletableFuture<Void> outage = new CompletableFuture<>();

    // Each call gives up after 2 s, so a 10 s outage means timed-out calls and retries.
    try (KinesisClient impatient =
        KinesisProducer.forProducer(KinesisClient.builder(), Duration.ofSeconds(2))
            .endpointOverride(KinesisRecordsIOTest.EMULATOR)
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build()) {
      KinesisProducer producer = new KinesisProducer(impatient, stream, Duration.ofMinutes(2));
      KinesisProducer.Stats stats =
          producer.putAll(records.iterator(), s -> {
            if (s.put >= 5_000 && paused.compareAndSet(false, true)) {
              CompletableFuture.runAsync(() -> {
                try {
                  LocalServers.local("pause", "kinesis");
                  Thread.sleep(10_000);
                  LocalServers.local("resume", "kinesis");
                  outage.complete(null);
                } catch (Exception | AssertionError e) {
                  outage.completeExceptionally(e);
                }
              });
            }
          });
      outage.get(1, TimeUnit.MINUTES);

      assertThat(stats.put).isEqualTo(records.size());
      assertThat(stats.failed).isZero();
      assertThat(stats.retries).as("calls timed out during the outage and were retried").isPositive();
      assertThat(stats.possiblyDuplicated).as("re-sent after requests that got no answer").isPositive();

      List<String> stored = KinesisRecordsIOTest.readAll(stream).values().stream().flatMap(List::stream).toList();
      Set<String> ids = new HashSet<>();
      for (String record : stored) {
        Matcher id = EVENT_ID.matcher(record);
        assertThat(id.find()).as(record).isTrue();
        ids.add(id.group(1));
      }
      System.out.printf("KinesisProducerOutageTest: %d records, %d stored, %d retries, %d possible extra copies%n",
          records.size(), stored.size(), stats.retries, stats.possiblyDuplicated);
      assertThat(ids).as("every record is in the stream").hasSize(records.size());
      assertThat((long) stored.size() - records.size())
          .as("copies beyond one per record, at most those reported")
          .isLessThanOrEqualTo(stats.possiblyDuplicated);
    }
  }
}
