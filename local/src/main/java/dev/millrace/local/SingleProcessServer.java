package dev.millrace.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A server that is one process on one port, with its state in a directory of its own: the Kinesis
 * emulator, S3Proxy. Subclasses start it and make it ready; stopping, status and logs are the same.
 */
abstract class SingleProcessServer implements Service {
  final LocalStack stack;
  private final String name;
  private final String portName;
  private final String pidFile;
  private final String title;

  /** {@code name} as in commands; the port's name in {@link Ports}; the pid file; the name in messages. */
  SingleProcessServer(LocalStack stack, String name, String portName, String pidFile, String title) {
    this.stack = stack;
    this.name = name;
    this.portName = portName;
    this.pidFile = pidFile;
    this.title = title;
  }

  @Override
  public final String name() {
    return name;
  }

  final int port() {
    return stack.ports().get(portName);
  }

  final String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  final Path pidFile() {
    return stack.path(name).resolve(pidFile);
  }

  /**
   * The server's directory, created, when it is not running and its port is free; null when it already
   * runs (said on the way).
   */
  final Path prepare(String what, String holder) throws IOException {
    Path dir = stack.dir(name);
    if (running()) {
      stack.out().println("millrace local: " + what + " is already running (" + endpoint() + ")");
      return null;
    }
    if (Processes.taken(port())) {
      throw new LocalStackException("port " + port() + " on 127.0.0.1 is in use; stop what holds it (" + holder
          + ") and retry");
    }
    return dir;
  }

  @Override
  public final void stop() throws IOException {
    Processes.stop(title, pidFile(), stack.out(), port());
  }

  @Override
  public final boolean running() {
    return Processes.isRunning(pidFile());
  }

  @Override
  public final String status() {
    return running() ? "up (" + endpoint() + ")" : "down";
  }

  @Override
  public final List<Path> logs() {
    return stack.logs(name);
  }

  @Override
  public final ProcessHandle process() {
    return Processes.running(pidFile()).orElseThrow(() -> new LocalStackException(name + " is not running"));
  }
}
