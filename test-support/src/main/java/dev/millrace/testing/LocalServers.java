package dev.millrace.testing;

import dev.millrace.local.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
   * The servers the tests start: a stack of their own (state in {@code .millrace/stacks/tests-PID}, ports
   * found free when the test JVM starts), so a test run neither talks to nor stops a developer's own
   * {@code bin/millrace local} servers or another test run's, and runs while they are up.
   */
  public static final Stack TESTS = Stack.onFreePorts("tests");

  /** Runs {@code bin/millrace-local ARGS} on the tests' stack; returns its output. */
  public static String local(String... args) throws IOException, InterruptedException {
    return TESTS.local(args);
  }

  /**
   * One stack of local servers: a state directory and the ports of its servers, as {@code
   * bin/millrace local} takes them from {@code MILLRACE_LOCAL_DIR} and {@code MILLRACE_*_PORT}. A
   * second stack lets a test that holds servers for minutes (the chaos test) run beside the others.
   */
  public static final class Stack {
    /** The servers' default ports, by the name {@code bin/millrace local} gives them. */
    static final Map<String, Integer> DEFAULT_PORTS = Ports.DEFAULTS;

    /** Ports handed to a stack in this JVM: two stacks never share one. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private final String name;
    private final Map<String, Integer> ports;

    private Stack(String name, Map<String, Integer> ports) {
      this.name = name;
      this.ports = Map.copyOf(ports);
    }

    /**
     * A stack of its own: state in {@code .millrace/stacks/NAME-PID} (this JVM's), and for each server a
     * port that is free now, below the kernel's ephemeral range (where clients' own ports come from).
     * State directories of earlier test JVMs that no longer run are removed.
     */
    public static Stack onFreePorts(String name) {
      String dir = name + "-" + ProcessHandle.current().pid();
      removeStale(name);
      Map<String, Integer> ports = new LinkedHashMap<>();
      synchronized (HANDED_OUT) {
        for (String server : DEFAULT_PORTS.keySet()) {
          int port = freePort();
          HANDED_OUT.add(port);
          ports.put(server, port);
        }
      }
      return new Stack(dir, ports);
    }

    private static int freePort() {
      int[] ephemeral = ephemeralRange();
      int low = 10_000;
      int high = Math.max(low + 1_000, ephemeral[0]);
      for (int attempt = 0; attempt < 1_000; attempt++) {
        int port = ThreadLocalRandom.current().nextInt(low, high);
        if (!HANDED_OUT.contains(port) && bindable(port)) {
          return port;
        }
      }
      throw new IllegalStateException("no free port on 127.0.0.1 in " + low + ".." + high);
    }

    private static boolean bindable(int port) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    /** Linux's ephemeral port range; the common default where it cannot be read. */
    private static int[] ephemeralRange() {
      try {
        String[] range = Files.readString(Paths.get("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
        return new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
      } catch (IOException | RuntimeException e) {
        return new int[] {32_768, 60_999};
      }
    }

    /** Removes {@code .millrace/stacks/NAME-PID} of test JVMs that have ended (their servers stopped by then). */
    private static void removeStale(String name) {
      Path stacks = root().resolve(".millrace/stacks");
      if (!Files.isDirectory(stacks)) {
        return;
      }
      try (Stream<Path> dirs = Files.list(stacks)) {
        for (Path dir : dirs.toList()) {
          String file = dir.getFileName().toString();
          if (file.matches(Pattern.quote(name) + "-[0-9]+") && ProcessHandle.of(Long.parseLong(file.substring(name.length() + 1))).isEmpty() && !anyRunning(dir)) {
            deleteTree(dir);
          }
        }
      } catch (IOException e) {
        // Leftovers only take disk space; the new stack has a directory of its own either way.
      }
    }

    /** Whether a pid file under {@code dir} names a live process (a server a crashed JVM left running). */
    private static boolean anyRunning(Path dir) throws IOException {
      try (Stream<Path> files = Files.walk(dir, 2)) {
        return files.filter(f -> f.toString().endsWith(".pid")).anyMatch(f -> {
          try {
            return ProcessHandle.of(Long.parseLong(Files.readString(f).trim())).map(ProcessHandle::isAlive).orElse(false);
          } catch (IOException | NumberFormatException e) {
            return false;
          }
        });
      }
    }

    private static void deleteTree(Path dir) throws IOException {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }

    public int port(String server) {
      Integer port = ports.get(server);
      if (port == null) {
        throw new IllegalArgumentException("no server " + server + "; one of " + DEFAULT_PORTS.keySet());
      }
      return port;
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

    /** The servers of this stack that run now ({@code kinesis}, {@code s3}, {@code flink}, {@code spark}). */
    public Set<String> running() throws IOException, InterruptedException {
      Set<String> up = new HashSet<>();
      for (String line : local("status").split("\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && !line.substring(colon + 1).trim().startsWith("down")) {
          up.add(line.substring(0, colon).trim());
        }
      }
      return up;
    }

    /**
     * Runs {@code bin/millrace-local ARGS} and returns its output; fails with it unless it exits 0 within 5
     * minutes.
     */
    public String local(String... args) throws IOException, InterruptedException {
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
      String output = Files.readString(log);
      Files.deleteIfExists(log);
      return output;
    }
  }
}
