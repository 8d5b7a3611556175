package dev.millrace.io.kinesis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Puts records into a Kinesis stream the way a producer should: PutRecords batches of at most 500
 * records and 5 MiB, partition key {@code user_id} or a log line's client address (see {@link
 * #partitionKey}), entries the service rejects or throttles retried with exponential backoff and full jitter,
 * and every record counted as put or failed.
 *
 * <p>A slow or briefly absent endpoint is ridden out: a batch is retried until its deadline (5
 * minutes by default) has passed, not given up after a few quick attempts. A request that got no
 * answer (a timeout, a dropped connection) may still have been applied, so the records its retry puts
 * again are counted as possible extra copies (one per unanswered request before the one that put
 * them): consumers de-duplicate them by their own id.
 */
public final class KinesisProducer {
  public static final int MAX_BATCH_RECORDS = 500;
  public static final int MAX_BATCH_BYTES = 5 * 1024 * 1024;
  /** A record (data plus partition key) larger than this is refused by Kinesis. */
  public static final int MAX_RECORD_BYTES = 1024 * 1024;
  private static final KinesisRecordsIO.FieldPartitioner USER_ID = new KinesisRecordsIO.FieldPartitioner("user_id");
  private static final KinesisRecordsIO.FieldPartitioner CARD_ID = new KinesisRecordsIO.FieldPartitioner("card_id");

  /** Running totals, passed to the progress callback after every batch. */
  public static final class Stats {
    public long put;
    public long retries;
    public long failed;
    public long batches;
    /** Records over Kinesis's 1 MiB limit, counted in {@code failed} and never sent. */
    public long tooLarge;
    /**
     * Extra copies that retries may have added, at most: a request that got no answer may still have
     * been applied, so a record put after k such requests may be in the stream up to k + 1 times, and
     * counts k here.
     */
    public long possiblyDuplicated;
  }

  /** How long a batch is retried before its records count as failed, unless told otherwise. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(5);

  private final KinesisClient kinesis;
  private final String stream;
  private final int maxAttempts;
  private final Duration deadline;
  private final Duration baseBackoff;
  private final Duration maxBackoff;
  private final Stats stats = new Stats();

  public KinesisProducer(KinesisClient kinesis, String stream) {
    this(kinesis, stream, DEFAULT_DEADLINE);
  }

  /** Retries each batch, with backoff up to 5 s, until {@code deadline} after its first attempt. */
  public KinesisProducer(KinesisClient kinesis, String stream, Duration deadline) {
    this(kinesis, stream, Integer.MAX_VALUE, deadline, Duration.ofMillis(100), Duration.ofSeconds(5));
  }

  /** At most {@code maxAttempts} attempts per batch (tests), with no deadline beyond them. */
  public KinesisProducer(
      KinesisClient kinesis, String stream, int maxAttempts, Duration baseBackoff, Duration maxBackoff) {
    this(kinesis, stream, maxAttempts, Duration.ofDays(365), baseBackoff, maxBackoff);
  }

  private KinesisProducer(KinesisClient kinesis, String stream, int maxAttempts, Duration deadline,
      Duration baseBackoff, Duration maxBackoff) {
    this.kinesis = kinesis;
    this.stream = stream;
    this.maxAttempts = maxAttempts;
    this.deadline = deadline;
    this.baseBackoff = baseBackoff;
    this.maxBackoff = maxBackoff;
  }

  /**
   * The client settings a producer's client needs: no retries inside the SDK, since the producer
   * retries itself and counts the copies each unanswered attempt may have added (an SDK retry after a
   * timeout would add copies nobody counts), and each attempt bounded by {@code attemptTimeout}, the
   * HTTP client's socket timeout too (its default, 30 s, would cut a longer attempt short).
   */
  public static KinesisClientBuilder forProducer(KinesisClientBuilder builder, Duration attemptTimeout) {
    return builder
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(attemptTimeout))
        .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none()).apiCallAttemptTimeout(attemptTimeout));
  }

  /** Creates the stream with {@code shards} shards unless it exists; true when it was created. */
  public boolean ensureStream(int shards) throws InterruptedException {
    try {
      kinesis.describeStreamSummary(r -> r.streamName(stream));
      return false;
    } catch (ResourceNotFoundException e) {
      kinesis.createStream(r -> r.streamName(stream).shardCount(shards));
      for (int i = 0; i < 600; i++) {
        if (kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary().streamStatus()
            == StreamStatus.ACTIVE) {
          return true;
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException("stream " + stream + " did not become ACTIVE in 60 s");
    }
  }

  /** Puts every record; calls {@code progress} after each batch. */
  public Stats putAll(Iterator<String> records, Consumer<Stats> progress) throws InterruptedException {
    List<PutRecordsRequestEntry> batch = new ArrayList<>(MAX_BATCH_RECORDS);
    long batchBytes = 0;
    while (records.hasNext()) {
      String record = records.next();
      PutRecordsRequestEntry entry = entry(record);
      long size = entry.data().asByteArrayUnsafe().length + entry.partitionKey().length();
      if (size > MAX_RECORD_BYTES) {
        // Kinesis would refuse the whole batch; this record alone cannot be put.
        stats.failed++;
        stats.tooLarge++;
        continue;
      }
      if (!batch.isEmpty() && (batch.size() == MAX_BATCH_RECORDS || batchBytes + size > MAX_BATCH_BYTES)) {
        send(batch);
        progress.accept(stats);
        batch = new ArrayList<>(MAX_BATCH_RECORDS);
        batchBytes = 0;
      }
      batch.add(entry);
      batchBytes += size;
    }
    if (!batch.isEmpty()) {
      send(batch);
      progress.accept(stats);
    }
    return stats;
  }

  static PutRecordsRequestEntry entry(String record) {
    return PutRecordsRequestEntry.builder()
        .partitionKey(partitionKey(record))
        .data(SdkBytes.fromString(record, StandardCharsets.UTF_8))
        .build();
  }

  /**
   * A JSON record's {@code user_id} (clicks) or {@code card_id} (transactions); a text line's first
   * word (an access log's client address), so one user's, card's or client's records stay in order
   * on one shard. Anything else spreads by its hash.
   */
  static String partitionKey(String record) {
    if (!record.startsWith("{")) {
      int space = record.indexOf(' ');
      if (space > 0 && space <= 256) {
        return record.substring(0, space);
      }
    }
    String user = USER_ID.getPartitionKey(record);
    return user.startsWith(KinesisRecordsIO.FieldPartitioner.NO_KEY) ? CARD_ID.getPartitionKey(record) : user;
  }

  private void send(List<PutRecordsRequestEntry> batch) throws InterruptedException {
    stats.batches++;
    long giveUpAt = System.nanoTime() + deadline.toNanos();
    List<PutRecordsRequestEntry> pending = batch;
    // Every attempt re-sends all that is still pending, so each pending record was in each earlier
    // attempt, and in each of the unanswered ones.
    int unanswered = 0;
    for (int attempt = 1; ; attempt++) {
      List<PutRecordsRequestEntry> toSend = pending;
      List<PutRecordsRequestEntry> failed = new ArrayList<>();
      boolean answered = true;
      try {
        PutRecordsResponse response = kinesis.putRecords(r -> r.streamName(stream).records(toSend));
        List<PutRecordsResultEntry> results = response.records();
        for (int i = 0; i < results.size(); i++) {
          if (results.get(i).errorCode() != null) {
            failed.add(toSend.get(i));
          }
        }
      } catch (AwsServiceException e) {
        // The service answered with an error (throttled, invalid): nothing of the request was applied
        // unless it is a server error, which may come after a partial write.
        failed = toSend;
        answered = e.statusCode() < 500;
      } catch (SdkException e) {
        // No answer (timeout, connection refused or dropped): the request may have been applied.
        failed = toSend;
        answered = false;
      }
      long put = toSend.size() - failed.size();
      stats.put += put;
      stats.possiblyDuplicated += put * unanswered;
      if (failed.isEmpty()) {
        return;
      }
      if (attempt >= maxAttempts || System.nanoTime() > giveUpAt) {
        stats.failed += failed.size();
        return;
      }
      if (!answered) {
        unanswered++;
      }
      stats.retries += failed.size();
      long cap = Math.min(maxBackoff.toMillis(), baseBackoff.toMillis() << Math.min(20, attempt - 1));
      Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1)); // full jitter
      pending = failed;
    }
  }
}
