package dev.millrace.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where and how the Parquet datasets are written. */
public interface ParquetOutputOptions extends PipelineOptions {
  @Description(
      "Output root: a directory or any Beam filesystem path (s3://bucket/prefix). Each dataset "
          + "goes under <output>/<dataset>/dt=YYYY-MM-DD/...")
  @Default.String("./millrace-output")
  @TemplateParameter(path = true, label = "Output root", example = "s3://my-bucket/clickstream")
  String getOutput();

  void setOutput(String output);

  @Description("Parquet files per window and partition (the write's shard count).")
  @Default.Integer(1)
  @TemplateParameter(label = "Files per window", example = "1", regexes = {"[1-9][0-9]*"})
  int getNumShards();

  void setNumShards(int numShards);
}
