package dev.millrace.pipelines.options;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;

/** Checks of single option values shared by the pipelines; each problem is one line naming the option. */
public final class OptionChecks {
  /** Beam's own test for a path with a scheme ({@code FileSystems.parseScheme}); anything else is local. */
  private static final Pattern SCHEME = Pattern.compile("(?<scheme>[a-zA-Z][-a-zA-Z0-9+.]*):/.*");
  /** The characters that make a local path a glob (java.nio's glob syntax, which Beam matches with). */
  private static final Pattern WILDCARD = Pattern.compile("[*?\\[{]");

  private OptionChecks() {}

  public static void checkDuration(
      String option, String value, boolean positive, List<Problem> problems) {
    try {
      Duration d = Durations.parse(value);
      if (positive && !d.isLongerThan(Duration.ZERO)) {
        problems.add(new Problem(option, "must be longer than zero, but was '" + value + "'"));
      }
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(option, "" + e.getMessage()));
    }
  }

  /** A processing-time refresh interval: a duration of at least 1s. */
  public static void checkRefresh(String option, String value, List<Problem> problems) {
    int before = problems.size();
    checkDuration(option, value, true, problems);
    if (problems.size() == before && Durations.parse(value).isShorterThan(Duration.standardSeconds(1))) {
      problems.add(new Problem(option, "must be at least 1s, but was " + value));
    }
  }

  /** Sliding windows: both durations positive, and the period at most the size. */
  public static void checkSlidingWindows(String size, String period, List<Problem> problems) {
    int before = problems.size();
    checkDuration("--windowSize", size, true, problems);
    checkDuration("--windowPeriod", period, true, problems);
    if (problems.size() == before && Durations.parse(period).isLongerThan(Durations.parse(size))) {
      problems.add(new Problem("--windowPeriod", "must not be longer than --windowSize (" + size + "), but was " + period));
    }
  }

  /** Late data: allowed lateness and late firing delay, zero allowed. */
  public static void checkWindowing(WindowingOptions options, List<Problem> problems) {
    checkDuration("--allowedLateness", options.getAllowedLateness(), false, problems);
    checkDuration("--lateFiringDelay", options.getLateFiringDelay(), false, problems);
  }

  /** The de-duplication horizon: positive. */
  public static void checkDeduplication(DeduplicationOptions options, List<Problem> problems) {
    checkDuration("--dedupHorizon", options.getDedupHorizon(), true, problems);
  }

  /**
   * A reference table's files ({@code option}, e.g. --registry): required unless the records are
   * synthetic (the generator has its own table), and then they must match files.
   */
  public static void checkReferenceFiles(PipelineOptions options, String option, String value, String source,
      String what, List<Problem> problems) {
    if (value == null || value.isBlank()) {
      if (!"synthetic".equals(source)) {
        problems.add(new Problem(option, "required with --source=" + source + " (" + what + ")"));
      }
    } else {
      checkMatches(options, option, value, problems);
    }
  }

  /** What every template that writes Parquet checks: --output, --numShards, --maxRecordBytes. */
  public static <O extends ParquetOutputOptions & RecordSourceOptions> void checkOutput(O options,
      List<Problem> problems) {
    if (options.getOutput() == null || options.getOutput().isBlank()) {
      problems.add(new Problem("--output", "must not be empty"));
    } else {
      checkLocalOutput(options.getOutput(), problems);
    }
    if (options.getNumShards() < 1) {
      problems.add(new Problem("--numShards", "must be >= 1, but was " + options.getNumShards()));
    }
    if (options.getMaxRecordBytes() < 1) {
      problems.add(new Problem("--maxRecordBytes", "must be >= 1, but was " + options.getMaxRecordBytes()));
    }
  }

  /**
   * A local output must be a directory or one that can be made: else the job would fail at its first
   * file ("Unable to create parent directories") after reading its input. Other schemes are not checked.
   */
  public static void checkLocalOutput(String output, List<Problem> problems) {
    Matcher scheme = SCHEME.matcher(output);
    if (scheme.matches() && !scheme.group("scheme").equalsIgnoreCase("file")) {
      return;
    }
    Path path;
    try {
      path = Path.of(output.regionMatches(true, 0, "file:", 0, 5) ? output.substring(5) : output).toAbsolutePath();
    } catch (InvalidPathException e) {
      problems.add(new Problem("--output", "not a valid path '" + output + "': " + e.getMessage()));
      return;
    }
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && !Files.isDirectory(existing)) {
      problems.add(new Problem("--output", existing.equals(path)
          ? "'" + output + "' is a file; the output is a directory of datasets"
          : "cannot make '" + output + "': " + existing + " is a file"));
    } else if (existing != null && !Files.isWritable(existing)) {
      problems.add(new Problem("--output", "cannot write under " + existing + " (no permission)"));
    }
  }

  /** An optional Kinesis stream to publish to: blank is a mistake, absent is fine. */
  public static void checkOptionalStream(String option, String value, List<Problem> problems) {
    if (value != null && value.isBlank()) {
      problems.add(new Problem(option, "must not be empty when set"));
    }
  }


  public static void checkInputMatches(
      PipelineOptions options, String input, List<Problem> problems) {
    checkMatches(options, "--input", input, problems);
  }

  /**
   * Adds a problem unless the path or glob of {@code option} matches at least one file. Local paths
   * are checked here rather than with {@code FileSystems.match}: for a path that does not exist, Beam's
   * local filesystem walks every file under the path's parent (all of {@code /} for
   * {@code /nonexistent.jsonl}). Other schemes ({@code s3://}) go through Beam's filesystems.
   */
  public static void checkMatches(PipelineOptions options, String option, String input, List<Problem> problems) {
    Matcher scheme = SCHEME.matcher(input);
    if (!scheme.matches() || scheme.group("scheme").toLowerCase(Locale.ROOT).equals("file")) {
      try {
        checkLocalMatches(option, input, problems);
      } catch (InvalidPathException e) {
        problems.add(new Problem(option, "not a valid path '" + input + "': " + e.getMessage()));
      }
      return;
    }
    FileSystems.setDefaultPipelineOptions(options);
    try {
      MatchResult match = FileSystems.match(input, EmptyMatchTreatment.ALLOW);
      if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
        problems.add(new Problem(option, "no file matches '" + input + "'"));
      }
    } catch (IOException | IllegalArgumentException e) {
      problems.add(new Problem(option, "cannot list '" + input + "': " + e.getMessage()));
    }
  }

  /**
   * A path without wildcards must be a file. A glob is matched from its deepest directory without
   * wildcards, no deeper than it has path segments (unless it has {@code **}), stopping at the first
   * file; with Beam's meaning (java.nio's glob on the absolute path, relative paths from the working
   * directory, symbolic links followed).
   */
  private static void checkLocalMatches(String option, String input, List<Problem> problems) {
    String spec = input.regionMatches(true, 0, "file:", 0, "file:".length())
        ? input.substring("file:".length())
        : input;
    String absolute = new File(spec).getAbsolutePath();
    Path literal = Path.of(absolute);
    if (Files.isRegularFile(literal)) {
      return;
    }
    Matcher wildcard = WILDCARD.matcher(absolute);
    if (!wildcard.find()) {
      problems.add(new Problem(option, "no file matches '" + input + "' (" + (Files.isDirectory(literal)
          ? "a directory; for the files in it give a glob such as '" + input.replaceAll("/+$", "") + "/*'"
          : "no such file") + ")"));
      return;
    }
    String prefix = absolute.substring(0, wildcard.start());
    int slash = prefix.lastIndexOf(File.separatorChar);
    Path base = Path.of(slash == 0 ? File.separator : prefix.substring(0, slash));
    if (!Files.isDirectory(base)) {
      problems.add(new Problem(option, "no file matches '" + input + "' (no directory " + base + ")"));
      return;
    }
    String rest = absolute.substring(slash + 1);
    int depth = rest.contains("**")
        ? Integer.MAX_VALUE
        : 1 + (int) rest.chars().filter(c -> c == File.separatorChar).count();
    // As Beam does: a backslash in the spec is a character of the name, not the glob's escape.
    PathMatcher matcher = java.nio.file.FileSystems.getDefault()
        .getPathMatcher("glob:" + absolute.replace("\\", "\\\\"));
    boolean[] found = {false};
    try {
      Files.walkFileTree(base, EnumSet.of(FileVisitOption.FOLLOW_LINKS), depth, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          if (attributes.isRegularFile() && matcher.matches(file)) {
            found[0] = true;
            return FileVisitResult.TERMINATE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          // Unreadable directories and link cycles: Beam's own walk skips them too.
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      problems.add(new Problem(option, "cannot list '" + input + "': " + e.getMessage()));
      return;
    }
    if (!found[0]) {
      problems.add(new Problem(option, "no file matches '" + input + "'"));
    }
  }
}
