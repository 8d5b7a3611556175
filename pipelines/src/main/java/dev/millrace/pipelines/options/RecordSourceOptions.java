package dev.millrace.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where a pipeline's records come from. */
public interface RecordSourceOptions extends PipelineOptions {
  @Description(
      "Where records come from: synthetic (generated), file (JSON lines, see --input) or kinesis "
          + "(see --stream).")
  @Default.String("synthetic")
  @TemplateParameter(label = "Source", example = "file", regexes = {"synthetic|file|kinesis"}, group = "Source")
  String getSource();

  void setSource(String source);

  @Description(
      "Files to read with --source=file: a path or glob on any Beam filesystem "
          + "(data/*.jsonl, s3://bucket/in/**); .gz and other compressed files are read by extension.")
  @TemplateParameter(path = true, label = "Input files", example = "data/*.jsonl", group = "Source")
  String getInput();

  void setInput(String input);

  @Description("Reject records larger than this many UTF-8 bytes as record_too_large.")
  @Default.Integer(1024 * 1024)
  @TemplateParameter(label = "Maximum record size (bytes)", example = "1048576", regexes = {"[0-9]+"}, group = "Source")
  int getMaxRecordBytes();

  void setMaxRecordBytes(int maxRecordBytes);
}
