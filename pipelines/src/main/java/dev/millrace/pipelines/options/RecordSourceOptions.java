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
  String getSource();

  void setSource(String source);

  @Description(
      "Files to read with --source=file: a path or glob on any Beam filesystem "
          + "(data/*.jsonl, s3://bucket/in/**); .gz and other compressed files are read by extension.")
  String getInput();

  void setInput(String input);

  @Description("Reject records larger than this many UTF-8 bytes as record_too_large.")
  @Default.Integer(1024 * 1024)
  int getMaxRecordBytes();

  void setMaxRecordBytes(int maxRecordBytes);
}
