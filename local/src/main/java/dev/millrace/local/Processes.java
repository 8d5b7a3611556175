package dev.millrace.local;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Server processes by pid file: started detached with a log, stopped, signalled; ports probed on loopback. */
final class Processes {
  private Processes() {}

  /** The live process a pid file names, if any. */
  static Optional<ProcessHandle> running(Path pidFile) {
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  static boolean isRunning(Path pidFile) {
    return running(pidFile).isPresent();
  }

  /**
   * Starts {@code command} in a session of its own (so the terminal's Ctrl-C and hang-up do not reach
   * it), output to {@code log} (the previous log kept as {@code LOG.prev}: a killed TaskManager's), its
   * pid in {@code pidFile}.
   */
  static void start(String name, Path pidFile, Path log, List<String> command, Map<String, String> env,
      Path root, PrintStream out) throws IOException {
    if (Files.isRegularFile(log) && Files.size(log) > 0) {
      Files.move(log, log.resolveSibling(log.getFileName() + ".prev"), StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> detached = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) {
      detached.add("/usr/bin/setsid");
    }
    detached.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(detached)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(env);
    Process process = builder.start();
    Files.writeString(pidFile, process.pid() + "\n", StandardCharsets.UTF_8);
    out.println("millrace local: started " + name + " (pid " + process.pid() + ", log " + relative(root, log) + ")");
  }

  /** Stops the process (SIGTERM, SIGKILL after 10 s) and waits up to 15 s for each of its ports to be free. */
  static void stop(String name, Path pidFile, PrintStream out, int... ports) throws IOException {
    Optional<ProcessHandle> process = running(pidFile);
    if (process.isPresent()) {
      ProcessHandle handle = process.get();
      handle.destroy();
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
        handle.onExit().completeOnTimeout(handle, 5, TimeUnit.SECONDS).join();
      }
      for (int port : ports) {
        waitFor(Duration.ofSeconds(15), () -> !inUse(port));
      }
      out.println("millrace local: stopped " + name);
    }
    Files.deleteIfExists(pidFile);
  }

  /** Sends a signal by name (KILL, STOP, CONT) with the system's {@code kill}. */
  static void signal(ProcessHandle process, String signal) throws IOException {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new LocalStackException("kill -" + signal + " " + process.pid() + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalStackException("interrupted");
    }
  }

  /** Whether something accepts connections on 127.0.0.1:port. */
  static boolean inUse(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** A GET of a server's readiness URL: its response, or empty when it does not answer (yet). */
  static Optional<HttpResponse<String>> get(String url) {
    try {
      return Optional.of(HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** In use now and still after 5 s (a server that was just stopped may linger). */
  static boolean taken(int port) {
    return !waitFor(Duration.ofSeconds(5), () -> !inUse(port));
  }

  /** Polls {@code condition} every half second until it holds (true) or {@code timeout} passes (false). */
  static boolean waitFor(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return true;
        }
      } catch (RuntimeException e) {
        // Not ready yet: a refused connection, a half-started server's error.
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** {@code path} from the repository root when under it, as the messages show paths. */
  static String relative(Path root, Path path) {
    return path.startsWith(root) ? root.relativize(path).toString() : path.toString();
  }
}
