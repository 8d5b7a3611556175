package dev.millrace.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
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

  /** Runs {@code bin/millrace-local ARGS}; fails with its output unless it exits 0 within 5 minutes. */
  public static void local(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", root().resolve("bin/millrace-local").toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("millrace-local-" + args[0], ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("millrace local " + String.join(" ", args) + " did not finish in 5 minutes:\n"
          + Files.readString(log));
    }
    if (process.exitValue() != 0) {
      throw new AssertionError("millrace local " + String.join(" ", args) + " exited " + process.exitValue()
          + ":\n" + Files.readString(log));
    }
  }
}
