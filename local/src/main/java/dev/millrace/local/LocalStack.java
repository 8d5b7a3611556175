package dev.millrace.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One stack of local servers: a state directory (pid files, logs, configuration, checkpoints) and the
 * ports of its servers. A second stack beside the first (the tests', the chaos run's) is another state
 * directory ({@code MILLRACE_LOCAL_DIR}) and other ports ({@code MILLRACE_*_PORT}).
 */
public final class LocalStack {
  private final Path root;
  private final Path state;
  private final Ports ports;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final Installs installs;
  private final Map<String, Service> services = new LinkedHashMap<>();

  private LocalStack(Path root, Path state, Ports ports, Map<String, String> env, PrintStream out, PrintStream err) {
    this.root = root;
    this.state = state;
    this.ports = ports;
    this.env = env;
    this.out = out;
    this.err = err;
    this.installs = new Installs(root, err);
    for (Service service : List.of(new KinesisEmulator(this), new S3Server(this), new FlinkCluster(this),
        new SparkCluster(this))) {
      services.put(service.name(), service);
    }
  }

  /**
   * The stack {@code env} names: state in {@code MILLRACE_LOCAL_DIR} (default {@code .millrace} under
   * {@code root}), ports from {@code env} or, while any of its servers runs, those it was started with.
   */
  public static LocalStack of(Path root, Map<String, String> env, PrintStream out, PrintStream err) throws IOException {
    String dir = env.get("MILLRACE_LOCAL_DIR");
    Path state = (dir == null || dir.isBlank() ? root.resolve(".millrace") : Paths.get(dir)).toAbsolutePath().normalize();
    Files.createDirectories(state);
    Ports ports = Ports.resolve(env, state.resolve("ports"), anyRunning(state));
    return new LocalStack(root.toAbsolutePath().normalize(), state, ports, env, out, err);
  }

  private static boolean anyRunning(Path state) throws IOException {
    List<Path> pidFiles = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(state)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.list(dir)) {
          files.filter(f -> f.getFileName().toString().endsWith(".pid")).forEach(pidFiles::add);
        }
      }
    }
    return pidFiles.stream().anyMatch(Processes::isRunning);
  }

  public Service service(String name) {
    Service service = services.get(name);
    if (service == null) {
      throw new LocalStackException("no service '" + name + "' (one of " + String.join(", ", services.keySet()) + ")");
    }
    return service;
  }

  public List<Service> services() {
    return List.copyOf(services.values());
  }

  public FlinkCluster flink() {
    return (FlinkCluster) service("flink");
  }

  /** Records the ports in the state directory, where the other commands and {@code bin/millrace} read them. */
  public void savePorts() throws IOException {
    ports.save(state.resolve("ports"));
  }

  public Ports ports() {
    return ports;
  }

  public Path state() {
    return state;
  }

  Path root() {
    return root;
  }

  Map<String, String> env() {
    return env;
  }

  PrintStream out() {
    return out;
  }

  Installs installs() {
    return installs;
  }

  /** The Java the servers run on: the one running this command. */
  String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** A directory of the state, created: {@code kinesis}, {@code flink}, ... */
  Path dir(String name) throws IOException {
    return Files.createDirectories(state.resolve(name));
  }

  /** The directory of a service's state, without creating it. */
  Path path(String name) {
    return state.resolve(name);
  }

  /** {@code --add-opens=MODULE/PACKAGE=ALL-UNNAMED} for each, as the clusters' JVMs on Java 17 need. */
  static List<String> opens(String... packages) {
    return Stream.of(packages).map(p -> "--add-opens=" + p + "=ALL-UNNAMED").toList();
  }

  /** Logs of a service directory: every {@code *.log} and {@code *.log.prev}. */
  List<Path> logs(String name) {
    Path dir = path(name);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches(".*\\.log(\\.prev)?")).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
