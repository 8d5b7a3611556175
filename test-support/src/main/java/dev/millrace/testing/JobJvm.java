package dev.millrace.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The command line of a Millrace jar that a test runs in its own JVM, as {@code java -jar} does. */
public final class JobJvm {
  private JobJvm() {}

  /**
   * The tests' jobs last seconds, and C2's compiling costs them more than it gains on 2 cores: a
   * 6,000-record predictive-maintenance run from a file took 30 s with the JVM's defaults and 18 s
   * with C1 only (Flink 25 s to 17 s, Spark 25 s to 21 s). Users' runs keep the defaults.
   */
  public static final List<String> SHORT_JOB_FLAGS = List.of("-XX:TieredStopAtLevel=1");

  /** CDS logs a line per class it cannot archive to standard output, which tests read. */
  static final List<String> QUIET_CDS = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

  private static final Set<Path> DUMPING = new HashSet<>();

  /**
   * {@code java [SHORT_JOB_FLAGS] [class-data sharing] -jar JAR ARGS}, with the java of the JVM running
   * the test. A streaming job on the Direct runner keeps C2: it is not short (the runner reads 10
   * records a bundle and scans every step's timers after each bundle, all in one hot loop), and
   * fraud-detection's 4,056 records from Kinesis took 57 s with C1 only, 37 s with the defaults (on
   * Spark, 20 s and 26 s: C1 only stays better there).
   */
  public static List<String> command(Path jar, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    if (!(jar.getFileName().toString().equals("millrace-direct.jar") && args.contains("--streaming=true"))) {
      command.addAll(SHORT_JOB_FLAGS);
    }
    command.addAll(classDataSharing(jar, args));
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    return command;
  }

  /**
   * Class-data sharing: loading and verifying a fat jar's classes is a fifth of a short job (a
   * 6,000-record predictive-maintenance run from a file on Direct: 12.5 s, 10.0 s from an archive).
   * The first {@code run} of each build of a jar dumps the classes it loaded into an archive beside
   * the jar (under {@code target/}); later jobs map it. A stale or unreadable archive is ignored by
   * the JVM ({@code -Xshare:auto}), so this never changes what a job does, only how fast it starts.
   */
  static synchronized List<String> classDataSharing(Path jar, List<String> args) {
    Path archive = classDataArchive(jar);
    String flag;
    if (Files.isRegularFile(archive)) {
      flag = "-XX:SharedArchiveFile=" + archive;
    } else if (!args.isEmpty() && "run".equals(args.get(0)) && DUMPING.add(archive)) {
      flag = "-XX:ArchiveClassesAtExit=" + archive;
    } else {
      return List.of();
    }
    List<String> flags = new ArrayList<>(QUIET_CDS);
    flags.add(flag);
    return flags;
  }

  /**
   * The class-data archive of this build of {@code jar}: {@code JAR-<mtime ms>-<bytes>.jsa} beside it, the
   * name {@code bin/lib/cds.sh} gives it too, so the tests' jobs and {@code bin/millrace}'s share one.
   */
  public static Path classDataArchive(Path jar) {
    try {
      return jar.resolveSibling(jar.getFileName() + "-" + Files.getLastModifiedTime(jar).toMillis() + "-"
          + Files.size(jar) + ".jsa");
    } catch (IOException e) {
      throw new UncheckedIOException("the job's jar " + jar, e);
    }
  }
}
