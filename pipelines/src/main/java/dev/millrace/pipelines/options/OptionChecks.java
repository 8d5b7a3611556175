package dev.millrace.pipelines.options;

import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;

/** Checks of single option values shared by the pipelines; each problem is one line naming the option. */
public final class OptionChecks {
  private OptionChecks() {}

  public static void checkDuration(
      String option, String value, boolean positive, List<String> problems) {
    try {
      Duration d = Durations.parse(value);
      if (positive && !d.isLongerThan(Duration.ZERO)) {
        problems.add(option + ": must be longer than zero, but was '" + value + "'");
      }
    } catch (IllegalArgumentException e) {
      problems.add(option + ": " + e.getMessage());
    }
  }

  public static void checkInputMatches(
      PipelineOptions options, String input, List<String> problems) {
    checkMatches(options, "--input", input, problems);
  }

  /** Adds a problem unless the path or glob of {@code option} matches at least one file. */
  public static void checkMatches(PipelineOptions options, String option, String input, List<String> problems) {
    FileSystems.setDefaultPipelineOptions(options);
    try {
      MatchResult match = FileSystems.match(input, EmptyMatchTreatment.ALLOW);
      if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
        problems.add(option + ": no file matches '" + input + "'");
      }
    } catch (IOException | IllegalArgumentException e) {
      problems.add(option + ": cannot list '" + input + "': " + e.getMessage());
    }
  }
}
