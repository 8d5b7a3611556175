package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.templates.catalog.Template;
import dev.millrace.templates.catalog.TemplateCatalog;
import org.junit.jupiter.api.Test;

/** The command layer on picocli: commands, help, typo suggestions, both option forms, completion. */
class CommandLineTest extends CliTestBase {
  static final String[] COMMANDS = {"run", "demo", "generate", "produce", "chaos", "templates", "describe", "docs",
      "query", "report", "local", "completion", "help"};

  @Test
  void theCommandAloneListsEveryCommandAsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(out()).startsWith("Usage: millrace").contains(COMMANDS);
    assertThat(run("--help")).isZero();
    assertThat(run("help")).isZero();
    assertThat(out()).contains("Commands:");
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : COMMANDS) {
      assertThat(run(command, "--help")).as(command + " --help: " + err()).isZero();
      assertThat(out()).as(command).contains("Usage: millrace " + command);
    }
    assertThat(run("help", "query")).isZero();
    assertThat(out()).contains("--output=DIR|s3://BUCKET/PREFIX").contains("--format=table|csv|json");
  }

  @Test
  void typosGetASuggestion() {
    assertThat(run("templtes")).isEqualTo(2);
    assertThat(err()).contains("unknown command 'templtes' (did you mean templates?)");
    assertThat(run("run", "clikstream-analytics")).isEqualTo(2);
    assertThat(err()).contains("no template named 'clikstream-analytics' (did you mean clickstream-analytics?)");
    assertThat(run("describe", "clickstream-analytics", "--jsn")).isEqualTo(2);
    assertThat(err()).contains("millrace describe: Unknown option: '--jsn' (did you mean --json?)");
    assertThat(run("run", "fraud-detection", "--velocityCont=3")).isEqualTo(2);
    assertThat(err()).contains("--velocityCont: unknown parameter (did you mean --velocityCount?)");
  }

  // Found by hand: report said 1 (a failed job) where query said 2 for the same missing --output.
  @Test
  void queryAndReportOnAMissingOutputAreUsageErrors(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    String missing = "--output=" + dir.resolve("none");
    assertThat(run("query", missing, "select 1")).isEqualTo(2);
    assertThat(err()).contains("millrace query: cannot open ").contains("no output directory");
    assertThat(run("report", missing, "--html=" + dir.resolve("r.html"))).isEqualTo(2);
    assertThat(err()).contains("millrace report: cannot open ").contains("no output directory");
  }

  @Test
  void aSuggestionIsOnlyMadeForACloseName() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err()).contains("unknown command 'frobnicate' (commands: run, demo,").doesNotContain("did you mean");
  }

  @Test
  void anOptionsValueMayFollowItAfterASpace() {
    assertThat(run("run", "clickstream-analytics", "--windowSize", "2m", "--maxEvents", "10", "--streaming",
        "--dry-run")).as(err()).isZero();
    assertThat(out()).containsPattern("--windowSize +2m +\\(command line\\)")
        .containsPattern("--maxEvents +10 +\\(command line\\)").containsPattern("--streaming +true");
  }

  @Test
  void theLastValueOfARepeatedOptionWins() {
    assertThat(run("run", "clickstream-analytics", "--windowSize=2m", "--windowSize=3m", "--dry-run")).isZero();
    assertThat(out()).containsPattern("--windowSize +3m +\\(command line\\)");
  }

  @Test
  void anOptionMissingItsValueIsAUsageError() {
    assertThat(run("run", "clickstream-analytics", "--windowSize")).isEqualTo(2);
    assertThat(err()).contains("millrace run clickstream-analytics: Missing required parameter for option"
        + " '--windowSize'");
  }

  @Test
  void generatesOwnOptionsAreTyped(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    assertThat(run("generate", "--file=" + dir.resolve("x.jsonl"), "--maxEvents=10", "--fuzzFraction=lots"))
        .isEqualTo(2);
    assertThat(err()).contains("millrace generate: Invalid value for option '--fuzzFraction': 'lots' is not a double");
    assertThat(run("generate", "--file=" + dir.resolve("x.jsonl"), "--maxEvents=10", "--seed", "7")).as(err())
        .isZero();
    assertThat(out()).contains("(10 events)");
  }

  @Test
  void theCompletionScriptKnowsEveryTemplateAndItsParameters() {
    assertThat(run("completion")).isZero();
    assertThat(out()).contains("complete -F _complete_millrace -o default bin/millrace ./bin/millrace")
        .contains(COMMANDS);
    for (Template<?> template : TemplateCatalog.all()) {
      assertThat(out()).as(template.name()).contains(template.name());
      for (OptionsHelp.Parameter p : OptionsHelp.parameters(template.optionsClass())) {
        assertThat(out()).as(template.name()).contains("--" + p.name());
      }
    }
  }

  @Test
  void eachTemplatesHelpGroupsItsParametersAndNamesTheRunnerDefaults() {
    assertThat(run("run", "log-analytics", "--help")).isZero();
    assertThat(out()).startsWith("Usage: millrace run log-analytics [--option=value ...]")
        .contains("Source options:").contains("Launch options:").contains("--params-file=<job.json|job.yaml>")
        .contains("${env:NAME}").contains("flink   --checkpointingMode=EXACTLY_ONCE");
    // Runner options are accepted but not listed one by one.
    assertThat(out()).doesNotContain("--flinkMaster=<");
  }
}
