package dev.millrace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateBenchmarkTest {
  @Test
  void theAccessLogIsCycledInOrderToTheLinesAsked(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("clone");
    Path excerpt = root.resolve("pipelines/src/test/resources/logs/access_excerpt.log");
    Files.createDirectories(excerpt.getParent());
    Files.write(excerpt, List.of("a", "b", "c"));
    Path target = dir.resolve("access.log");
    TemplateBenchmark.cycleAccessLog(root, target, 7);
    assertThat(Files.readAllLines(target)).containsExactly("a", "b", "c", "a", "b", "c", "a");
  }

  @Test
  void aDifferenceNamesTheDatasetAndRowAndAMissingDatasetIsOne() {
    Map<String, List<String>> direct = Map.of("alerts", List.of("1|x|", "2|y|"), "dead_letter", List.of("e|"));
    assertThat(TemplateBenchmark.firstDifference(direct, direct)).isEqualTo("no difference");
    assertThat(TemplateBenchmark.firstDifference(direct,
        Map.of("alerts", List.of("1|x|", "2|z|"), "dead_letter", List.of("e|"))))
        .isEqualTo("alerts row 1: 2|z| where the DirectRunner wrote 2|y|");
    assertThat(TemplateBenchmark.firstDifference(direct, Map.of("alerts", List.of("1|x|", "2|y|"))))
        .startsWith("datasets [alerts]");
    assertThat(TemplateBenchmark.firstDifference(direct,
        Map.of("alerts", List.of("1|x|"), "dead_letter", List.of("e|"))))
        .isEqualTo("alerts row 1: (none) where the DirectRunner wrote 2|y|");
  }
}
