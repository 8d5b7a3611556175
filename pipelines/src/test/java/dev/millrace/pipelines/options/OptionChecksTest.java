package dev.millrace.pipelines.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionChecksTest {
  static final java.time.Duration QUICKLY = java.time.Duration.ofSeconds(5);

  /** The problems as the CLI prints them, and each one about --input. */
  static List<String> problems(String input) {
    PipelineOptions options = PipelineOptionsFactory.create();
    List<Problem> problems = new ArrayList<>();
    OptionChecks.checkInputMatches(options, input, problems);
    assertThat(problems).allMatch(p -> p.isAbout("--input"));
    return problems.stream().map(Problem::toString).toList();
  }

  // Issue 14: Beam's local match walked every file under / for a path that does not exist.
  @Test
  void aMissingFileUnderTheRootIsReportedWithoutWalkingTheDisk() {
    List<String> problems = assertTimeoutPreemptively(QUICKLY, () -> problems("/nonexistent.jsonl"));
    assertThat(problems).containsExactly("--input: no file matches '/nonexistent.jsonl' (no such file)");
  }

  @Test
  void aGlobInAMissingDirectoryNamesTheDirectory() {
    List<String> problems = assertTimeoutPreemptively(QUICKLY, () -> problems("/nonexistent-dir/*.jsonl"));
    assertThat(problems)
        .containsExactly("--input: no file matches '/nonexistent-dir/*.jsonl' (no directory /nonexistent-dir)");
    assertThat(assertTimeoutPreemptively(QUICKLY, () -> problems("/nonexistent-dir/sub/**.gz")))
        .containsExactly("--input: no file matches '/nonexistent-dir/sub/**.gz' (no directory /nonexistent-dir/sub)");
  }

  @Test
  void aGlobOfOneLevelLooksOnlyAtThatLevel() {
    List<String> problems = assertTimeoutPreemptively(QUICKLY, () -> problems("/*.nonexistent-extension"));
    assertThat(problems).containsExactly("--input: no file matches '/*.nonexistent-extension'");
  }

  static List<String> outputProblems(String output) {
    List<Problem> problems = new ArrayList<>();
    OptionChecks.checkLocalOutput(output, problems);
    return problems.stream().map(Problem::toString).toList();
  }

  // Found by hand: the job read its whole input, then failed at its first file.
  @Test
  void anOutputThatIsAFileOrUnderOneIsAProblem(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("afile"), "x");
    assertThat(outputProblems(file.toString()))
        .containsExactly("--output: '" + file + "' is a file; the output is a directory of datasets");
    assertThat(outputProblems(file + "/out"))
        .containsExactly("--output: cannot make '" + file + "/out': " + file + " is a file");
  }

  @Test
  void anOutputDirectoryThatIsOrCanBeMadeIsFine(@TempDir Path dir) {
    assertThat(outputProblems(dir.toString())).isEmpty();
    assertThat(outputProblems(dir + "/new/deeper")).isEmpty();
    assertThat(outputProblems("file:" + dir + "/new")).isEmpty();
    assertThat(outputProblems("s3://bucket/out")).isEmpty();
  }

  @Test
  void filesAndGlobsThatMatch(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.jsonl"), "{}\n");
    Files.createDirectories(dir.resolve("2026/11/27"));
    Files.writeString(dir.resolve("2026/11/27/b.gz"), "");
    for (String input : List.of(
        dir + "/a.jsonl", "file:" + dir + "/a.jsonl", dir + "/*.jsonl", dir + "/?.jsonl", dir + "/{a,z}.jsonl",
        dir + "/**.gz", dir + "/**/b.gz", dir + "/2026/*/27/*.gz", dir + "/20*/11/*/b.gz")) {
      assertThat(problems(input)).as(input).isEmpty();
    }
  }

  @Test
  void filesAndGlobsThatDoNot(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("2026/11/27"));
    Files.writeString(dir.resolve("2026/11/27/b.gz"), "");
    assertThat(problems(dir + "/*.gz")).containsExactly("--input: no file matches '" + dir + "/*.gz'");
    assertThat(problems(dir + "/2026/*.jsonl")).containsExactly("--input: no file matches '" + dir + "/2026/*.jsonl'");
    assertThat(problems(dir + "/2026/x*/b.gz")).containsExactly("--input: no file matches '" + dir + "/2026/x*/b.gz'");
    assertThat(problems(dir + "/missing.jsonl"))
        .containsExactly("--input: no file matches '" + dir + "/missing.jsonl' (no such file)");
    assertThat(problems(dir + "/2026"))
        .containsExactly("--input: no file matches '" + dir + "/2026' (a directory; for the files in it give a glob"
            + " such as '" + dir + "/2026/*')");
  }
}
