package dev.millrace.templates.cli;

import dev.millrace.pipelines.options.Problem;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;

/**
 * What a run's arguments reach on AWS (Kinesis streams, {@code s3://} paths), and whether the region
 * for that is known before the job starts. Why: without a region the AWS SDK asks the EC2 metadata
 * service, then the job fails a few seconds in with a list of region providers, never mentioning
 * {@code bin/millrace local up}, which is what a laptop without AWS set up most often forgot.
 */
final class AwsAccess {
  /** A Kinesis stream to read or publish: --stream, --alertsStream, --impressionsStream, ... */
  private static final Pattern STREAM = Pattern.compile("--(\\w*[sS])?tream=.*\\S.*");

  private AwsAccess() {}

  /** Whether the run reads or publishes a Kinesis stream. */
  static boolean usesKinesis(String[] args) {
    return Arrays.stream(args).anyMatch(a -> a.equals("--source=kinesis") || STREAM.matcher(a).matches());
  }

  /** Whether a parameter names an {@code s3://} path. */
  static boolean usesS3(String[] args) {
    return Arrays.stream(args).anyMatch(a -> a.regionMatches(true, a.indexOf('=') + 1, "s3://", 0, 5));
  }

  /**
   * The problem with the run reaching AWS itself (no local endpoint for what it uses) without a region
   * it can know: none from --awsRegion, nor {@code offlineRegion} (the environment and AWS profile).
   */
  static Optional<Problem> regionProblem(String[] args, Supplier<String> offlineRegion) {
    boolean reachesS3 = usesS3(args) && !has(args, "--endpoint");
    boolean reachesKinesis = usesKinesis(args) && !has(args, "--kinesisEndpoint") && !has(args, "--endpoint");
    if (!(reachesS3 || reachesKinesis) || has(args, "--awsRegion") || offlineRegion.get() != null) {
      return Optional.empty();
    }
    String what = reachesS3 && reachesKinesis ? "S3 and Kinesis" : reachesS3 ? "S3" : "Kinesis";
    return Optional.of(new Problem("--awsRegion", "needed to reach " + what + " on AWS, and none is set (--awsRegion="
        + "eu-west-1, AWS_REGION, or the AWS profile's region). For the local servers instead, start them with "
        + "`bin/millrace local up`, or give " + (reachesS3 ? "--endpoint" : "--kinesisEndpoint") + "."));
  }

  /**
   * Why an endpoint on loopback that the run uses (--kinesisEndpoint for its streams, --endpoint for its
   * {@code s3://} paths or as Kinesis' fallback) does not answer, or null. Why: the job failed a few
   * seconds in with "Connection refused" and no word of what was refused.
   */
  static String unreachableLoopbackEndpoint(String[] args) {
    String kinesis = value(args, "--kinesisEndpoint");
    String any = value(args, "--endpoint");
    boolean kinesisUsesAny = usesKinesis(args) && kinesis == null;
    for (String[] option : new String[][] {{"--kinesisEndpoint", usesKinesis(args) ? kinesis : null},
        {"--endpoint", usesS3(args) || kinesisUsesAny ? any : null}}) {
      if (option[1] != null && Produce.isLoopback(option[1])) {
        String why = RunnerSupport.unreachable(option[0], option[1], "start the local servers with `bin/millrace local up`");
        if (why != null) {
          return why;
        }
      }
    }
    return null;
  }

  private static String value(String[] args, String name) {
    return Arrays.stream(args).filter(a -> a.startsWith(name + "=") && a.length() > name.length() + 1)
        .map(a -> a.substring(name.length() + 1)).reduce((first, last) -> last).orElse(null);
  }

  /** The region from the environment, system properties or the AWS profile files, without the network. */
  static String offlineRegion() {
    try {
      return new SystemSettingsRegionProvider().getRegion().id();
    } catch (SdkClientException e) {
      // Not set there: try the profile.
    }
    try {
      return new AwsProfileRegionProvider().getRegion().id();
    } catch (SdkClientException | IllegalStateException e) {
      return null;
    }
  }

  private static boolean has(String[] args, String name) {
    return Arrays.stream(args).anyMatch(a -> a.startsWith(name + "=") && a.length() > name.length() + 1);
  }
}
