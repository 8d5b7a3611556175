package dev.millrace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The check every plain-Java baseline test makes: its datasets hold the template's rows, no fewer, no more. */
final class BaselineRows {
  private BaselineRows() {}

  /** Asserts the baseline wrote exactly {@code datasets}, each non-empty and equal to the template's; returns them. */
  static Map<String, List<String>> assertSameAsTemplate(Path template, Path baseline, String... datasets)
      throws IOException {
    Map<String, List<String>> expected = TemplateBenchmark.datasets(template);
    Map<String, List<String>> actual = TemplateBenchmark.datasets(baseline);
    assertThat(actual.keySet()).containsExactly(datasets);
    for (String dataset : datasets) {
      assertThat(actual.get(dataset)).as(dataset).isNotEmpty().isEqualTo(expected.get(dataset));
    }
    return actual;
  }
}
