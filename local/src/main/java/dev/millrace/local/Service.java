package dev.millrace.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** One server of the local stack (a cluster counts as one): started, stopped, asked how it is. */
public interface Service {
  /** Its name in commands and status lines: {@code kinesis}, {@code s3}, {@code flink}, {@code spark}. */
  String name();

  /** Starts it unless it runs, and returns when it is ready to use (or throws saying why not). */
  void start() throws IOException;

  /** Stops it, when it runs, and waits until its ports are free. */
  void stop() throws IOException;

  /** {@code up (address)}, {@code starting or unhealthy (pid N)} or {@code down}. */
  String status();

  /** Whether any of its processes runs (ready or not). */
  boolean running();

  /** Its log files (current and previous), those that exist. */
  List<Path> logs();

  /** Its one server process, for {@code pause} and {@code resume} (an outage that keeps the data). */
  default ProcessHandle process() {
    throw new LocalStackException(name() + " cannot be paused");
  }
}
