package dev.millrace.pipelines.logs;

import dev.millrace.pipelines.options.KinesisSourceOptions;
import dev.millrace.pipelines.options.ParquetOutputOptions;
import dev.millrace.pipelines.options.RecordSourceOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The parameters of log-analytics. */
public interface LogAnalyticsOptions extends RecordSourceOptions, KinesisSourceOptions, ParquetOutputOptions {
  @Description("Length of the fixed event-time windows of traffic_stats and top_paths.")
  @Default.String("5m")
  String getWindowSize();

  void setWindowSize(String windowSize);

  @Description("How many paths top_paths keeps per window (by requests; ties by path, ascending).")
  @Default.Integer(10)
  int getTopN();

  void setTopN(int topN);

  @Description("A client's requests further apart than this (or exactly this) start a new session.")
  @Default.String("30m")
  String getSessionGap();

  void setSessionGap(String sessionGap);

  @Description(
      "How long after a window ends late requests still update it (a LATE pane); later ones are "
          + "dropped and counted.")
  @Default.String("5m")
  String getAllowedLateness();

  void setAllowedLateness(String allowedLateness);

  @Description(
      "Collect late requests this long (processing time) into one LATE pane per window; 0s fires at once.")
  @Default.String("10s")
  String getLateFiringDelay();

  void setLateFiringDelay(String lateFiringDelay);
}
