package dev.millrace.testing;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** The command line of a Millrace jar that a test runs in its own JVM, as {@code java -jar} does. */
public final class JobJvm {
  private JobJvm() {}

  /**
   * The tests' jobs last seconds, and C2's compiling costs them more than it gains on 2 cores: a
   * 6,000-record predictive-maintenance run from a file took 30 s with the JVM's defaults and 18 s
   * with C1 only (Flink 25 s to 17 s, Spark 25 s to 21 s). Users' runs keep the defaults.
   */
  public static final List<String> SHORT_JOB_FLAGS = List.of("-XX:TieredStopAtLevel=1");

  /** {@code java [SHORT_JOB_FLAGS] -jar JAR ARGS}, with the java of the JVM running the test. */
  public static List<String> command(Path jar, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(SHORT_JOB_FLAGS);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    return command;
  }
}
