package dev.millrace.templates.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * The local stack's endpoints as defaults. {@code bin/millrace} exports {@code MILLRACE_LOCAL_KINESIS}
 * and {@code MILLRACE_LOCAL_S3} while {@code bin/millrace local up} servers run; a command that reads
 * Kinesis or writes {@code s3://} without an endpoint of its own then talks to them, and says so.
 */
final class LocalStack {
  private final Map<String, String> env;

  LocalStack(Map<String, String> env) {
    this.env = env;
  }

  static LocalStack fromEnvironment() {
    return new LocalStack(System.getenv());
  }

  /**
   * {@code args} with {@code --kinesisEndpoint} (when {@code usesKinesis}) and {@code --endpoint} (when
   * a value names {@code s3://}) pointing at the running local servers, unless endpoints are given.
   */
  String[] withEndpoints(String[] args, boolean usesKinesis, String command, PrintStream err) {
    if (has(args, "--endpoint")) {
      return args;
    }
    String[] result = args;
    String kinesis = env.get("MILLRACE_LOCAL_KINESIS");
    if (usesKinesis && kinesis != null && !has(args, "--kinesisEndpoint")) {
      result = Millrace.withDefaults(result, "--kinesisEndpoint=" + kinesis);
      err.println("millrace " + command + ": Kinesis: the local emulator at " + kinesis
          + " (bin/millrace local up; MILLRACE_LOCAL=off or --kinesisEndpoint to change)");
    }
    String s3 = env.get("MILLRACE_LOCAL_S3");
    if (s3 != null && Arrays.stream(args).anyMatch(a -> a.contains("=s3://"))) {
      result = Millrace.withDefaults(result, "--endpoint=" + s3);
      err.println("millrace " + command + ": S3: the local server at " + s3
          + " (bin/millrace local up; MILLRACE_LOCAL=off or --endpoint to change)");
    }
    return result;
  }

  private static boolean has(String[] args, String name) {
    return Arrays.stream(args).anyMatch(a -> a.equals(name) || a.startsWith(name + "="));
  }
}
