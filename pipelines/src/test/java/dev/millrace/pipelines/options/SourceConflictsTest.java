package dev.millrace.pipelines.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** Parameters the chosen source would ignore are refused, each naming itself and the source. */
class SourceConflictsTest {
  /** The options of a template that reads records from files, Kinesis or its generator. */
  public interface SourceOptions extends RecordSourceOptions, KinesisSourceOptions {}

  static List<String> conflicts(String... args) {
    SourceOptions options = PipelineOptionsFactory.fromArgs(args).as(SourceOptions.class);
    List<Problem> problems = new ArrayList<>();
    KinesisSources.checkConflicts(options, options.getSource(), options.getInput(), problems);
    return problems.stream().map(Problem::toString).toList();
  }

  // Found by hand: --input without --source=file ran the generator and never read the file.
  @Test
  void inputFilesWithTheSyntheticSource() {
    assertThat(conflicts("--source=synthetic", "--input=data/*.jsonl"))
        .containsExactly("--input: conflicts with --source=synthetic (files are read with --source=file)");
  }

  @Test
  void inputFilesWithKinesis() {
    assertThat(conflicts("--source=kinesis", "--input=data/*.jsonl"))
        .containsExactly("--input: conflicts with --source=kinesis (files are read with --source=file)");
  }

  @Test
  void kinesisParametersWithFiles() {
    assertThat(conflicts("--source=file", "--input=data/*.jsonl", "--stream=s", "--maxRecords=5", "--maxReadTime=1m"))
        .containsExactly(
            "--stream: conflicts with --source=file (a stream is read with --source=kinesis)",
            "--maxRecords: conflicts with --source=file (it bounds a Kinesis read)",
            "--maxReadTime: conflicts with --source=file (it bounds a Kinesis read)");
  }

  @Test
  void eachSourceWithOnlyItsOwnParameters() {
    assertThat(conflicts("--source=file", "--input=data/*.jsonl")).isEmpty();
    assertThat(conflicts("--source=kinesis", "--stream=s", "--maxRecords=5")).isEmpty();
    assertThat(conflicts("--source=synthetic")).isEmpty();
    assertThat(conflicts("--source=synthetic", "--input=")).isEmpty();
  }
}
