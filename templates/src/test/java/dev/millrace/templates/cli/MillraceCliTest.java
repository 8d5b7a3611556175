package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.millrace.templates.catalog.Template;
import dev.millrace.templates.catalog.TemplateCatalog;
import dev.millrace.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MillraceCliTest extends CliTestBase {
  @Test
  void anUnknownOptionIsOneLineWithASuggestionAndExitCode2() {
    assertThat(run("run", "clickstream-analytics", "--windowSise=1m")).isEqualTo(2);
    assertThat(err().strip())
        .isEqualTo("millrace run clickstream-analytics: --windowSise: unknown parameter (did you mean"
            + " --windowSize?); see: millrace describe clickstream-analytics");
  }

  @Test
  void badValuesNameTheOptionAndWhatIsAllowed() {
    assertThat(run("run", "clickstream-analytics", "--windowSize=soon", "--source=kafka")).isEqualTo(2);
    assertThat(err())
        .contains("--source: must be one of synthetic, file, kinesis, but was 'kafka'")
        .contains("--windowSize: must match [0-9]+(ms|s|m|h|d)|P[0-9A-Z.]+ (e.g. 1m), but was 'soon'");
    assertThat(err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aNonNumberForANumericOptionIsRejected() {
    assertThat(run("run", "clickstream-analytics", "--rate=fast")).isEqualTo(2);
    assertThat(err()).contains("--rate").doesNotContain("\tat ");
    assertThat(err().strip().lines().count()).isEqualTo(1);
  }

  // Found by hand: a rerun with another window size wrote beside the first run's files, and query
  // counted both runs' rows, without a word.
  @Test
  void aRerunIntoTheSameOutputSaysWhichFilesOfEarlierRunsStayed(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("access.log");
    Files.writeString(log, "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"\n"
        + "1.2.3.5 - - [17/May/2015:11:05:03 +0000] \"GET /a HTTP/1.1\" 200 1 \"-\" \"x\"\n");
    String[] args = {"run", "log-analytics", "--input=" + log, "--output=" + dir.resolve("out")};
    assertThat(run(args)).as(err()).isZero();
    assertThat(err()).doesNotContain("earlier runs");
    ageEveryFile(dir.resolve("out"));
    // The same parameters write every file again.
    assertThat(run(args)).as(err()).isZero();
    assertThat(err()).doesNotContain("earlier runs");
    ageEveryFile(dir.resolve("out"));
    assertThat(run(java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
        "--windowSize=1h")).toArray(String[]::new))).as(err()).isZero();
    // The 5-minute windows' traffic_stats and top_paths, 2 each, stay beside the new hourly ones.
    assertThat(err()).contains("millrace: note: 4 Parquet files under --output are from earlier runs");
  }

  /** Dates every file under {@code dir} an hour back, as if written by a run an hour ago. */
  private static void ageEveryFile(Path dir) throws java.io.IOException {
    java.nio.file.attribute.FileTime hourAgo =
        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(file, hourAgo);
      }
    }
  }

  @Test
  void aMissingInputIsAnErrorNotAnEmptySuccess(@TempDir Path dir) {
    assertThat(run("run", "clickstream-analytics", "--source=file", "--input=" + dir + "/none*.jsonl"))
        .isEqualTo(2);
    assertThat(err()).contains("--input: no file matches");
  }

  // Issue 14: the input check walked every file under / and the command did not answer.
  @Test
  void aMistypedInputUnderTheRootIsReportedAtOnceWithTheOtherProblems() {
    int code = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> run("run", "clickstream-analytics",
        "--source=file", "--input=/nonexistent.jsonl", "--windowSize=banana"));
    assertThat(code).isEqualTo(2);
    assertThat(err())
        .contains("--input: no file matches '/nonexistent.jsonl' (no such file)")
        .contains("--windowSize: must match [0-9]+(ms|s|m|h|d)|P[0-9A-Z.]+ (e.g. 1m), but was 'banana'")
        .doesNotContain("\tat ");
  }

  @Test
  void helpListsEveryParameterWithItsDescriptionAndDefault() {
    for (Template<?> template : TemplateCatalog.all()) {
      assertThat(run("run", template.name(), "--help")).isZero();
      for (OptionsHelp.Parameter p : OptionsHelp.parameters(template.optionsClass())) {
        assertThat(p.description()).as("description of --" + p.name()).isNotBlank();
        assertThat(out()).as(template.name()).contains("--" + p.name() + "=");
      }
      String windowSize = switch (template.name()) {
        case "log-analytics", "patient-monitoring" -> "5m";
        case "predictive-maintenance" -> "10m";
        case "campaign-analytics" -> "1h";
        default -> "1m";
      };
      assertThat(out()).containsPattern("--windowSize=<value> +[^\\n]*(\\n +[^-\\n][^\\n]*)*\\(default: "
          + windowSize + "\\)");
    }
  }

  @Test
  void aBoundedSyntheticRunPrintsASummaryThatAddsUp(@TempDir Path dir) throws Exception {
    int code =
        run("demo", "--maxEvents=3000", "--output=" + dir, "--lateFraction=0");
    assertThat(code).as(err()).isZero();
    assertThat(out())
        .contains("Run summary: clickstream-analytics, DONE")
        .contains("OK; parsed")
        .contains("Busiest pages of the last windows")
        .contains("Report on " + dir)
        .contains("report: " + dir.resolve("report.html"));
    assertThat(dir.resolve("report.html")).exists();
    // The page as a browser shows it: the run's accounting and the charts drawn.
    String dom = Chromium.dumpDom(dir.resolve("report.html"));
    java.util.regex.Matcher read = java.util.regex.Pattern.compile("records read +([0-9,]+)").matcher(out());
    assertThat(read.find()).isTrue();
    assertThat(dom).contains("data-counter=\"records read\">" + read.group(1) + "<")
        .containsPattern("data-key=\"events_per_window\"[^>]*><svg[^>]*data-rendered=\"true\"");
    assertThat(dir.resolve("_runs")).isDirectoryContaining("glob:**clickstream-analytics-*.json");

    // The analytics stage over what the demo wrote: a table, CSV, JSON, and a bad query.
    assertThat(run("query", "--output=" + dir, "SELECT count(*) AS windows FROM (SELECT DISTINCT window_start FROM page_stats)"))
        .as(err()).isZero();
    assertThat(out()).containsPattern("windows\\n-+\\n +[1-9][0-9]*\\n\\(1 row\\)");
    assertThat(run("query", "--output=" + dir, "--format=csv", "SELECT error, count(*) AS n FROM dead_letter GROUP BY 1 ORDER BY 1"))
        .isZero();
    assertThat(out()).startsWith("error,n\n");
    assertThat(run("query", "--output=" + dir, "--format=json", "SELECT sum(events) AS events FROM page_stats")).isZero();
    assertThat(out()).matches("\\{\"events\":\"[0-9]+\"\\}\n");
    assertThat(run("query", "--output=" + dir, "SELECT nope FROM page_stats")).isEqualTo(2);
    assertThat(err()).contains("millrace query: Binder Error").contains("views: dead_letter, page_stats")
        .doesNotContain("\tat ");
  }

  @Test
  void unknownCommandsAndTemplatesAreUsageErrors() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err()).contains("unknown command 'frobnicate'");
    assertThat(run("run", "no-such-template")).isEqualTo(2);
    assertThat(err()).contains("no template named 'no-such-template'");
  }
}
