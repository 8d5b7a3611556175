package dev.millrace.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ports of one stack's servers, the one place they are read: {@code MILLRACE_<NAME>_PORT} from the
 * environment, else the default; while a server of the stack runs, the ports it was started with (the
 * {@code ports} file that {@code up} writes in the state directory).
 */
public final class Ports {
  /** The servers' ports by name, with their defaults. */
  public static final Map<String, Integer> DEFAULTS = defaults();

  private final Map<String, Integer> ports;

  private Ports(Map<String, Integer> ports) {
    this.ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
  }

  private static Map<String, Integer> defaults() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("KINESIS", 4568);
    ports.put("S3", 4590);
    ports.put("FLINK", 8081);
    ports.put("FLINK_RPC", 6123);
    ports.put("FLINK_BLOB", 6124);
    ports.put("SPARK", 7077);
    ports.put("SPARK_UI", 8080);
    ports.put("SPARK_WORKER_UI", 8082);
    return Collections.unmodifiableMap(ports);
  }

  /** The environment variable of a server's port: {@code MILLRACE_KINESIS_PORT}. */
  public static String variable(String server) {
    return "MILLRACE_" + server + "_PORT";
  }

  /**
   * The ports from {@code env} over the defaults; when {@code running}, those recorded in {@code file}
   * win, and an environment variable that disagrees with them is an error.
   */
  static Ports resolve(Map<String, String> env, Path file, boolean running) throws IOException {
    Map<String, Integer> ports = new LinkedHashMap<>(DEFAULTS);
    for (String server : DEFAULTS.keySet()) {
      String value = env.get(variable(server));
      if (value != null && !value.isEmpty()) {
        if (!value.matches("[1-9][0-9]{0,4}") || Integer.parseInt(value) > 65_535) {
          throw new LocalStackException(variable(server) + ": a port number, not '" + value + "'");
        }
        ports.put(server, Integer.parseInt(value));
      }
    }
    if (running && Files.isRegularFile(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String variable = line.substring(0, eq);
        String server = variable.replaceFirst("^MILLRACE_", "").replaceFirst("_PORT$", "");
        String recorded = line.substring(eq + 1).trim();
        if (!DEFAULTS.containsKey(server) || !recorded.matches("[0-9]+")) {
          continue;
        }
        String given = env.get(variable);
        if (given != null && !given.isEmpty() && !given.equals(recorded)) {
          throw new LocalStackException("the servers in " + file.getParent() + " run with " + variable + "="
              + recorded + ", not " + given + "; stop them first or set MILLRACE_LOCAL_DIR");
        }
        ports.put(server, Integer.parseInt(recorded));
      }
    }
    return new Ports(ports);
  }

  /** The ports as given, for a stack a test builds in process. */
  public static Ports of(Map<String, Integer> ports) {
    Map<String, Integer> all = new LinkedHashMap<>(DEFAULTS);
    all.putAll(ports);
    return new Ports(all);
  }

  public int get(String server) {
    Integer port = ports.get(server);
    if (port == null) {
      throw new IllegalArgumentException("no server " + server + "; one of " + ports.keySet());
    }
    return port;
  }

  /** Writes {@code MILLRACE_<NAME>_PORT=port} lines, sorted, as the other commands read them back. */
  void save(Path file) throws IOException {
    StringBuilder lines = new StringBuilder();
    new TreeMap<>(ports).forEach((server, port) -> lines.append(variable(server)).append('=').append(port).append('\n'));
    Files.writeString(file, lines.toString(), StandardCharsets.UTF_8);
  }
}
