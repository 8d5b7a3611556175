package dev.millrace.pipelines.options;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.pipelines.clickstream.ClickstreamAnalytics;
import dev.millrace.pipelines.clickstream.ClickstreamAnalyticsOptions;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class ProblemTest {
  @Test
  void aProblemNamesItsOptionAndPrintsAsOneLine() {
    Problem problem = new Problem("--windowSize", "must be longer than zero, but was '0s'");
    assertThat(problem).hasToString("--windowSize: must be longer than zero, but was '0s'");
    assertThat(problem.isAbout("windowSize")).isTrue();
    assertThat(problem.isAbout("--windowSize")).isTrue();
    assertThat(problem.isAbout("--windowPeriod")).isFalse();
    assertThat(Problem.general("unexpected argument 'x'")).hasToString("unexpected argument 'x'");
    assertThat(Problem.general("unexpected argument 'x'").isAbout("x")).isFalse();
  }

  @Test
  void aLineWordedByOptionIsParsedBackToItsOption() {
    assertThat(Problem.parse("--rate: must be > 0, but was: 0")).isEqualTo(new Problem("--rate", "must be > 0, but was: 0"));
    assertThat(Problem.parse("--s3.endpoint: bad")).isEqualTo(new Problem("--s3.endpoint", "bad"));
    assertThat(Problem.parse("no option here: just text")).isEqualTo(Problem.general("no option here: just text"));
    assertThat(Problem.parse("-- : odd")).isEqualTo(Problem.general("-- : odd"));
  }

  @Test
  void aTemplateReportsEveryProblemAtOnceEachWithItsOption() {
    ClickstreamAnalyticsOptions options = PipelineOptionsFactory.fromArgs(
        "--source=file", "--input=/nonexistent.jsonl", "--windowSize=banana", "--numShards=0", "--output=")
        .as(ClickstreamAnalyticsOptions.class);
    List<Problem> problems = ClickstreamAnalytics.problems(options, true);
    assertThat(problems).extracting(Problem::option)
        .containsExactlyInAnyOrder("--input", "--windowSize", "--output", "--numShards");
    try {
      Problem.throwIfAny(problems);
    } catch (InvalidOptionsException e) {
      assertThat(e.problems()).isEqualTo(problems);
      assertThat(InvalidOptionsException.problemsOf(e)).isEqualTo(problems);
      assertThat(e.getMessage().lines()).hasSize(problems.size()).contains("--numShards: must be >= 1, but was 0");
      return;
    }
    throw new AssertionError("expected InvalidOptionsException");
  }

  @Test
  void anotherExceptionIsReadLineByLine() {
    IllegalArgumentException e = new IllegalArgumentException("--maxEvents: must be >= 0\nsomething else");
    assertThat(InvalidOptionsException.problemsOf(e))
        .containsExactly(new Problem("--maxEvents", "must be >= 0"), Problem.general("something else"));
    Problem.throwIfAny(List.of());
  }
}
