package dev.millrace.templates.cli;

import dev.millrace.io.kinesis.KinesisProducer;
import dev.millrace.io.kinesis.KinesisRecordsIO;
import dev.millrace.io.synthetic.ClickstreamGenerator;
import dev.millrace.pipelines.clickstream.ClickstreamAnalytics;
import dev.millrace.pipelines.clickstream.ClickstreamAnalyticsOptions;
import dev.millrace.pipelines.options.Problem;
import dev.millrace.transforms.parse.AccessLogParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import dev.millrace.pipelines.options.KinesisSourceOptions;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * {@code millrace produce --stream=NAME --source=synthetic|file ...}: the producer stage. Puts
 * synthetic events or the lines of files into a Kinesis stream (creating it with {@code --shards}
 * when missing), with progress and a final count; exits 1 if any record could not be put.
 */
final class Produce {
  /** The producer's parameters: the clickstream sources' options plus the stream's shard count. */
  public interface ProduceOptions extends ClickstreamAnalyticsOptions, AwsOptions {
    @Description("Shards of the stream when it has to be created.")
    @Default.Integer(2)
    int getShards();

    void setShards(int shards);

    @Description(
        "File source: pace records by their own event times (JSON event_time, or a log line's [time]), this "
            + "many times faster than they happened: 60 plays an hour in a minute. 0: as fast as possible.")
    @Default.Double(0)
    double getReplaySpeed();

    void setReplaySpeed(double replaySpeed);

    @Description(
        "How long a batch the stream does not accept (throttled, slow, or the endpoint briefly gone) is "
            + "retried, with backoff, before its records count as failed: e.g. 30s, 5m.")
    @Default.String("5m")
    String getPutDeadline();

    void setPutDeadline(String putDeadline);
  }

  private Produce() {}

  static int run(PrintStream out, PrintStream err, String[] args) {
    args = LocalEndpoints.fromEnvironment().withEndpoints(args, true, "produce", err);
    ProduceOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(args).withValidation().as(ProduceOptions.class);
      List<Problem> problems = new ArrayList<>();
      if (options.getStream() == null || options.getStream().isBlank()) {
        problems.add(new Problem("--stream", "required (the Kinesis stream to put records into)"));
      }
      if ("kinesis".equals(options.getSource())) {
        problems.add(new Problem("--source", "must be synthetic or file for produce"));
      }
      if ("synthetic".equals(options.getSource()) && options.getInput() != null && !options.getInput().isBlank()) {
        problems.add(new Problem("--input", "conflicts with --source=synthetic (a file's lines are put with --source=file)"));
      } else if ("synthetic".equals(options.getSource()) && options.getMaxEvents() <= 0) {
        problems.add(new Problem("--maxEvents", "required and > 0 with --source=synthetic (how many events to put)"));
      }
      if (options.getReplaySpeed() < 0) {
        problems.add(new Problem("--replaySpeed", "must be >= 0 (0 means as fast as possible), but was " + options.getReplaySpeed()));
      }
      try {
        if (!dev.millrace.pipelines.options.Durations.parse(options.getPutDeadline()).isLongerThan(
            org.joda.time.Duration.ZERO)) {
          problems.add(new Problem("--putDeadline", "must be longer than 0"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(new Problem("--putDeadline", "" + e.getMessage()));
      }
      if (options.getShards() < 1) {
        problems.add(new Problem("--shards", "must be >= 1, but was " + options.getShards()));
      }
      Problem.throwIfAny(problems);
      List<Problem> sourceProblems = ClickstreamAnalytics.problems(options, false);
      Problem.throwIfAny(sourceProblems);
    } catch (IllegalArgumentException e) {
      for (String line : String.valueOf(e.getMessage()).split("\n")) {
        err.println("millrace produce: " + line);
      }
      return Millrace.USAGE;
    }
    try (KinesisClient kinesis = client(options)) {
      KinesisProducer producer = new KinesisProducer(kinesis, options.getStream(), java.time.Duration.ofMillis(
          dev.millrace.pipelines.options.Durations.parse(options.getPutDeadline()).getMillis()));
      if (producer.ensureStream(options.getShards())) {
        out.printf("created stream %s with %d shards%n", options.getStream(), options.getShards());
      }
      long started = System.nanoTime();
      long[] lastPrint = {started};
      KinesisProducer.Stats stats =
          producer.putAll(
              records(options),
              s -> {
                long now = System.nanoTime();
                if (now - lastPrint[0] > 5_000_000_000L) {
                  lastPrint[0] = now;
                  out.printf("  ... %,d put (%,.0f records/s), %,d retries, %,d failed%n",
                      s.put, s.put / ((now - started) / 1e9), s.retries, s.failed);
                }
              });
      double seconds = (System.nanoTime() - started) / 1e9;
      out.printf("put %,d records into %s in %.1f s (%,.0f records/s, %,d batches); %,d retries, %,d failed%n",
          stats.put, options.getStream(), seconds, stats.put / Math.max(seconds, 1e-9), stats.batches,
          stats.retries, stats.failed);
      if (stats.possiblyDuplicated > 0) {
        err.printf("millrace produce: requests that got no answer were sent again, so the stream may hold up to "
            + "%,d extra copies of records (the templates drop such duplicates by their id)%n", stats.possiblyDuplicated);
      }
      if (stats.tooLarge > 0) {
        err.printf("millrace produce: %,d record(s) over Kinesis's 1 MiB record limit were not put%n", stats.tooLarge);
      }
      return stats.failed == 0 ? Millrace.OK : Millrace.JOB_FAILED;
    } catch (Exception e) {
      err.println("millrace produce: " + Millrace.rootMessage(e));
      return Millrace.JOB_FAILED;
    }
  }

  /**
   * The Kinesis client: region and credentials from Beam's AWS options and the default chain; an
   * emulator on loopback gets placeholder keys, since it checks none and a laptop may have none.
   */
  static KinesisClient client(ProduceOptions options) {
    return client(options, DEFAULT_ATTEMPT_TIMEOUT);
  }

  /**
   * A PutRecords of 500 records answers in well under a second when all is well; a minute per
   * attempt rides out a stalled endpoint without a retry, and so without copies.
   */
  static final java.time.Duration DEFAULT_ATTEMPT_TIMEOUT = java.time.Duration.ofSeconds(60);

  /** As {@link #client(ProduceOptions)}, each attempt bounded by {@code attemptTimeout}. */
  static KinesisClient client(ProduceOptions options, java.time.Duration attemptTimeout) {
    return client(options, options, attemptTimeout);
  }

  /**
   * The Kinesis client of a job's or producer's options. A loopback emulator gets region us-east-1
   * and placeholder keys without asking the AWS region and credential chains (which end at the EC2
   * metadata service).
   */
  static KinesisClient client(KinesisSourceOptions kinesis, AwsOptions aws, java.time.Duration attemptTimeout) {
    KinesisClientBuilder builder = KinesisProducer.forProducer(KinesisClient.builder(), attemptTimeout);
    String endpoint = kinesisEndpoint(kinesis, aws);
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint));
    }
    if (endpoint != null && isLoopback(endpoint)) {
      return builder.region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
          .build();
    }
    return builder.region(aws.getAwsRegion() != null ? aws.getAwsRegion() : Region.US_EAST_1)
        .credentialsProvider(aws.getAwsCredentialsProvider())
        .build();
  }

  /** The Kinesis endpoint the options name (--kinesisEndpoint, else --endpoint), or null for AWS itself. */
  static String kinesisEndpoint(KinesisSourceOptions kinesis, AwsOptions aws) {
    String endpoint = kinesis.getKinesisEndpoint();
    if ((endpoint == null || endpoint.isBlank()) && aws.getEndpoint() != null) {
      endpoint = aws.getEndpoint().toString();
    }
    return endpoint == null || endpoint.isBlank() ? null : endpoint;
  }

  static boolean isLoopback(String endpoint) {
    String host = URI.create(endpoint).getHost();
    return "127.0.0.1".equals(host) || "localhost".equals(host);
  }

  /**
   * Replays records at {@code speed} times the pace of their own event times (the first record goes
   * at once); records without an event time go without waiting.
   */
  static Iterator<String> paced(Iterator<String> records, double speed) {
    KinesisRecordsIO.JsonEventTime json = new KinesisRecordsIO.JsonEventTime();
    return new Iterator<String>() {
      long firstEventMillis = Long.MIN_VALUE;
      long startedNanos;

      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public String next() {
        String record = records.next();
        org.joda.time.Instant time = json.apply(record);
        if (time == null) {
          time = AccessLogParser.eventTimeOf(record);
        }
        if (time != null) {
          if (firstEventMillis == Long.MIN_VALUE) {
            firstEventMillis = time.getMillis();
            startedNanos = System.nanoTime();
          }
          long dueNanos = startedNanos + (long) ((time.getMillis() - firstEventMillis) * 1e6 / speed);
          long waitNanos = dueNanos - System.nanoTime();
          if (waitNanos > 0) {
            try {
              Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }
        return record;
      }
    };
  }

  static Iterator<String> records(ProduceOptions options) throws Exception {
    if ("file".equals(options.getSource())) {
      FileSystems.setDefaultPipelineOptions(options);
      List<String> lines = new ArrayList<>();
      MatchResult match = FileSystems.match(options.getInput(), EmptyMatchTreatment.DISALLOW);
      for (MatchResult.Metadata file : match.metadata()) {
        Compression compression = Compression.detect(file.resourceId().getFilename());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
            Channels.newInputStream(compression.readDecompressed(FileSystems.open(file.resourceId()))),
            StandardCharsets.UTF_8))) {
          for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
          }
        }
      }
      return options.getReplaySpeed() > 0 ? paced(lines.iterator(), options.getReplaySpeed()) : lines.iterator();
    }
    ClickstreamGenerator generator = new ClickstreamGenerator(ClickstreamAnalytics.syntheticConfig(options));
    long events = options.getMaxEvents();
    double rate = options.getRate();
    long started = System.nanoTime();
    return new Iterator<String>() {
      long n = 0;
      final List<String> pending = new ArrayList<>();

      @Override
      public boolean hasNext() {
        return !pending.isEmpty() || n < events;
      }

      @Override
      public String next() {
        if (pending.isEmpty()) {
          if (n >= events) {
            throw new NoSuchElementException();
          }
          // Paced at --rate events per second of wall-clock time.
          long due = started + (long) (n * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            try {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          pending.addAll(generator.recordsOf(n++));
        }
        return pending.remove(0);
      }
    };
  }
}
