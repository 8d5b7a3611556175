package dev.millrace.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the project's local servers for tests exactly as a user does, through {@code
 * bin/millrace local up|down ...}. The repository root comes from the {@code millrace.root} system
 * property, which each module's surefire configuration sets.
 */
public final class LocalServers {
  private LocalServers() {}

  public static Path root() {
    return Paths.get(System.getProperty("millrace.root", "..")).toAbsolutePath().normalize();
  }

  /**
   * The servers the tests start: a stack of their own (state in {@code .millrace/stacks/tests}, every
   * port the default plus 20000), so a test run neither talks to nor stops a developer's own {@code
   * bin/millrace local} servers, and runs while they are up.
   */
  public static final Stack TESTS = Stack.beside("tests", 20_000);

  /** Runs {@code bin/millrace-local ARGS} on the tests' stack. */
  public static void local(String... args) throws IOException, InterruptedException {
    TESTS.local(args);
  }

  /**
   * One stack of local servers: a state directory and the ports of its servers, as {@code
   * bin/millrace local} takes them from {@code MILLRACE_LOCAL_DIR} and {@code MILLRACE_*_PORT}. A
   * second stack lets a test that holds servers for minutes (the chaos test) run beside the others.
   */
  public static final class Stack {
    /** The servers' default ports, by the name {@code bin/millrace local} gives them. */
    static final Map<String, Integer> DEFAULT_PORTS = defaultPorts();

    private final String name;
    private final int portOffset;

    private Stack(String name, int portOffset) {
      this.name = name;
      this.portOffset = portOffset;
    }

    /** A stack of its own: state in {@code .millrace/stacks/NAME}, every port the default plus {@code offset}. */
    public static Stack beside(String name, int portOffset) {
      return new Stack(name, portOffset);
    }

    private static Map<String, Integer> defaultPorts() {
      Map<String, Integer> ports = new LinkedHashMap<>();
      ports.put("KINESIS", 4568);
      ports.put("S3", 4590);
      ports.put("FLINK", 8081);
      ports.put("FLINK_RPC", 6123);
      ports.put("FLINK_BLOB", 6124);
      ports.put("SPARK", 7077);
      ports.put("SPARK_UI", 8080);
      ports.put("SPARK_WORKER_UI", 8082);
      return ports;
    }

    public int port(String server) {
      Integer port = DEFAULT_PORTS.get(server);
      if (port == null) {
        throw new IllegalArgumentException("no server " + server + "; one of " + DEFAULT_PORTS.keySet());
      }
      return port + portOffset;
    }

    public String kinesisEndpoint() {
      return "http://127.0.0.1:" + port("KINESIS");
    }

    public String s3Endpoint() {
      return "http://127.0.0.1:" + port("S3");
    }

    /** The Spark master, as {@code --sparkMaster} takes it. */
    public String sparkMaster() {
      return "spark://127.0.0.1:" + port("SPARK");
    }

    /** The Flink JobManager's REST address, as {@code --flinkMaster} takes it. */
    public String flinkMaster() {
      return "127.0.0.1:" + port("FLINK");
    }

    /** What a process needs in its environment to use this stack: {@code bin/millrace local}, {@code bin/millrace chaos}. */
    public Map<String, String> environment() {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("MILLRACE_LOCAL_DIR", root().resolve(".millrace/stacks/" + name).toString());
      DEFAULT_PORTS.keySet().forEach(server -> env.put("MILLRACE_" + server + "_PORT", String.valueOf(port(server))));
      return env;
    }

    /** Runs {@code bin/millrace-local ARGS}; fails with its output unless it exits 0 within 5 minutes. */
    public void local(String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(List.of("bash", root().resolve("bin/millrace-local").toString()));
      command.addAll(List.of(args));
      Path log = Files.createTempFile("millrace-local-" + args[0], ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(environment());
      Process process = builder.start();
      String stack = " (stack " + name + ")";
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("millrace local " + String.join(" ", args) + stack + " did not finish in 5 minutes:\n"
            + Files.readString(log));
      }
      if (process.exitValue() != 0) {
        throw new AssertionError("millrace local " + String.join(" ", args) + stack + " exited "
            + process.exitValue() + ":\n" + Files.readString(log));
      }
    }
  }
}
