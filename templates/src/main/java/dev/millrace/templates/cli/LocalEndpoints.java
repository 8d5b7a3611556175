package dev.millrace.templates.cli;

import dev.millrace.local.Ports;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The local stack's endpoints as defaults. {@code bin/millrace} exports {@code MILLRACE_LOCAL_KINESIS}
 * and {@code MILLRACE_LOCAL_S3} while {@code bin/millrace local up} servers run; a command that reads
 * Kinesis or writes {@code s3://} without an endpoint of its own then talks to them, and says so.
 */
final class LocalEndpoints {
  private final Map<String, String> env;

  LocalEndpoints(Map<String, String> env) {
    this.env = env;
  }

  static LocalEndpoints fromEnvironment() {
    return new LocalEndpoints(System.getenv());
  }

  /**
   * The stack {@code bin/millrace local up} started: the ports it recorded in its state directory
   * ({@code MILLRACE_LOCAL_DIR}, default {@code .millrace} under {@code root}) over {@code env}'s.
   */
  static LocalEndpoints started(Path root, Map<String, String> env) throws IOException {
    Map<String, String> merged = new HashMap<>(env);
    Path ports = stateDirectory(root, env).resolve("ports");
    if (Files.isRegularFile(ports)) {
      for (String line : Files.readAllLines(ports, StandardCharsets.UTF_8)) {
        int equals = line.indexOf('=');
        if (line.startsWith("MILLRACE_") && equals > 0) {
          merged.put(line.substring(0, equals), line.substring(equals + 1).trim());
        }
      }
    }
    return new LocalEndpoints(merged);
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

  /** Where {@code bin/millrace local} keeps its servers' state, logs, checkpoints and savepoints. */
  static Path stateDirectory(Path root, Map<String, String> env) {
    String dir = env.get("MILLRACE_LOCAL_DIR");
    return dir == null || dir.isBlank() ? root.resolve(".millrace") : Paths.get(dir).toAbsolutePath();
  }

  /**
   * A server's address on loopback: {@code MILLRACE_<NAME>_PORT} when set (as for {@code bin/millrace
   * local}, which starts a second stack on other ports), else the stack's default port.
   */
  String address(String name) {
    String value = env.get(Ports.variable(name));
    int port = Ports.DEFAULTS.get(name);
    if (value != null && !value.isBlank()) {
      try {
        port = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("MILLRACE_" + name + "_PORT: a port number, not '" + value + "'");
      }
    }
    return "127.0.0.1:" + port;
  }

  /** The Kinesis emulator {@code bin/millrace local} starts. */
  String kinesisEndpoint() {
    return "http://" + address("KINESIS");
  }

  /** The S3 server {@code bin/millrace local} starts. */
  String s3Endpoint() {
    return "http://" + address("S3");
  }

  /** The Flink JobManager's REST address ({@code --flinkMaster}) {@code bin/millrace local} starts. */
  String flinkMaster() {
    return address("FLINK");
  }

  private static boolean has(String[] args, String name) {
    return Arrays.stream(args).anyMatch(a -> a.equals(name) || a.startsWith(name + "="));
  }
}
