package dev.millrace.pipelines.logs;

import dev.millrace.pipelines.options.TemplateMetadata;
import dev.millrace.pipelines.options.TemplateParameter;
import dev.millrace.pipelines.options.ValuePatterns;
import dev.millrace.pipelines.options.KinesisSourceOptions;
import dev.millrace.pipelines.options.ParquetOutputOptions;
import dev.millrace.pipelines.options.WindowingOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The parameters of log-analytics. */
@TemplateMetadata(
    name = LogAnalytics.NAME,
    description = "Web server access logs (combined format) to traffic statistics and top paths per "
        + "event-time window and client sessions, as Parquet, with dead letters.",
    streaming = true,
    datasets = {LogAnalytics.TRAFFIC_STATS, LogAnalytics.TOP_PATHS, LogAnalytics.SESSIONS, "dead_letter"})
public interface LogAnalyticsOptions extends KinesisSourceOptions, ParquetOutputOptions, WindowingOptions {
  @Description("Where log lines come from: file (access log files, see --input) or kinesis (one line per record, see --stream).")
  @Default.String("file")
  @TemplateParameter(label = "Source", example = "file", regexes = {"file|kinesis"}, group = "Source")
  String getSource();

  void setSource(String source);

  @Description(
      "Access log files to read with --source=file: a path or glob on any Beam filesystem (logs/access.log*, "
          + "s3://bucket/logs/**); gzip and other compressed files are read by extension.")
  @TemplateParameter(path = true, label = "Log files", example = "logs/access.log*", group = "Source")
  String getInput();

  void setInput(String input);

  @Description("Reject lines longer than this many UTF-8 bytes as record_too_large.")
  @Default.Integer(1024 * 1024)
  @TemplateParameter(label = "Maximum line size (bytes)", example = "1048576", regexes = {"[0-9]+"}, group = "Source")
  int getMaxRecordBytes();

  void setMaxRecordBytes(int maxRecordBytes);

  @Description("Length of the fixed event-time windows of traffic_stats and top_paths.")
  @Default.String("5m")
  @TemplateParameter(label = "Window size", example = "1h", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getWindowSize();

  void setWindowSize(String windowSize);

  @Description("How many paths top_paths keeps per window (by requests; ties by path, ascending).")
  @Default.Integer(10)
  @TemplateParameter(label = "Top paths per window", example = "10", regexes = {"[1-9][0-9]*"}, group = "Windows")
  int getTopN();

  void setTopN(int topN);

  @Description("A client's requests further apart than this (or exactly this) start a new session.")
  @Default.String("30m")
  @TemplateParameter(label = "Session gap", example = "30m", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getSessionGap();

  void setSessionGap(String sessionGap);
}
