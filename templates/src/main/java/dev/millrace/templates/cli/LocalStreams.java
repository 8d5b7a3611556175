package dev.millrace.templates.cli;

import dev.millrace.io.kinesis.KinesisProducer;
import dev.millrace.pipelines.options.KinesisSourceOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The streams a job publishes to (--alertsStream, --notificationsStream), created with one shard when
 * the Kinesis endpoint is an emulator on loopback and they do not exist yet, as {@code bin/millrace
 * produce} creates the stream it puts into. Why: on the local stack nothing else creates an empty
 * stream, and a job publishing to a missing one fails after a warning per batch. Streams on AWS are
 * left alone: creating them is an account's decision, not a job's.
 */
final class LocalStreams {
  private static final Pattern PUBLISHED = Pattern.compile("--(alertsStream|notificationsStream)=(\\S.*)");

  private LocalStreams() {}

  /** The streams {@code args} publish to. */
  static List<String> published(String[] args) {
    List<String> streams = new ArrayList<>();
    for (String arg : args) {
      Matcher m = PUBLISHED.matcher(arg);
      if (m.matches()) {
        streams.add(m.group(2).trim());
      }
    }
    return streams;
  }

  /** Creates each stream {@code args} publish to that is missing on a loopback emulator, saying so on {@code out}. */
  static void ensure(PipelineOptions options, String[] args, String command, PrintStream out)
      throws InterruptedException {
    List<String> streams = published(args);
    KinesisSourceOptions kinesis = options.as(KinesisSourceOptions.class);
    AwsOptions aws = options.as(AwsOptions.class);
    String endpoint = Produce.kinesisEndpoint(kinesis, aws);
    if (streams.isEmpty() || endpoint == null || !Produce.isLoopback(endpoint)) {
      return;
    }
    try (KinesisClient client = Produce.client(kinesis, aws, Duration.ofSeconds(30))) {
      for (String stream : streams) {
        if (new KinesisProducer(client, stream).ensureStream(1)) {
          out.println("millrace " + command + ": Kinesis: created stream " + stream + " (1 shard) on the local emulator at "
              + endpoint);
        }
      }
    } catch (SdkException e) {
      // The job will say what is wrong with the endpoint as it would have without this step.
      out.println("millrace " + command + ": Kinesis: could not check the streams published to at " + endpoint + ": "
          + e.getMessage());
    }
  }
}
