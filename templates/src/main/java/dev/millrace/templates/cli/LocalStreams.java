package dev.millrace.templates.cli;

import dev.millrace.io.kinesis.KinesisProducer;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
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
  private static final Pattern ENDPOINT = Pattern.compile("--(kinesisEndpoint|endpoint)=(\\S+)");

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

  /** The Kinesis endpoint of {@code args} when it is on loopback (--kinesisEndpoint, else --endpoint), else null. */
  static URI loopbackKinesis(String[] args) {
    String kinesis = null;
    String any = null;
    for (String arg : args) {
      Matcher m = ENDPOINT.matcher(arg);
      if (m.matches()) {
        if (m.group(1).equals("kinesisEndpoint")) {
          kinesis = m.group(2);
        } else {
          any = m.group(2);
        }
      }
    }
    String endpoint = kinesis != null ? kinesis : any;
    if (endpoint == null) {
      return null;
    }
    URI uri = URI.create(endpoint);
    return "127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()) ? uri : null;
  }

  /** Creates each published stream that is missing on a loopback emulator, saying so on {@code out}. */
  static void ensure(String[] args, String command, PrintStream out) throws InterruptedException {
    List<String> streams = published(args);
    URI endpoint = loopbackKinesis(args);
    if (streams.isEmpty() || endpoint == null) {
      return;
    }
    try (KinesisClient kinesis = KinesisProducer.forProducer(KinesisClient.builder(), Duration.ofSeconds(30))
        .endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
      for (String stream : streams) {
        if (new KinesisProducer(kinesis, stream).ensureStream(1)) {
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
