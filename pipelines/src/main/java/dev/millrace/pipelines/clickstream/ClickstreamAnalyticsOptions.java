package dev.millrace.pipelines.clickstream;

import dev.millrace.pipelines.options.KinesisSourceOptions;
import dev.millrace.pipelines.options.ParquetOutputOptions;
import dev.millrace.pipelines.options.RecordSourceOptions;
import dev.millrace.pipelines.options.SyntheticSourceOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The parameters of clickstream-analytics. */
public interface ClickstreamAnalyticsOptions
    extends RecordSourceOptions, SyntheticSourceOptions, KinesisSourceOptions, ParquetOutputOptions {

  @Description("Length of the fixed event-time windows of page_stats.")
  @Default.String("1m")
  String getWindowSize();

  void setWindowSize(String windowSize);

  @Description(
      "How long after a window ends late events still update it (a LATE pane); "
          + "later events are dropped and counted.")
  @Default.String("5m")
  String getAllowedLateness();

  void setAllowedLateness(String allowedLateness);

  @Description(
      "Collect late events this long (processing time) into one LATE pane (and one file) per "
          + "window, instead of a pane per late event; 0s fires at once.")
  @Default.String("10s")
  String getLateFiringDelay();

  void setLateFiringDelay(String lateFiringDelay);

  @Description("Event-time horizon of de-duplication by event_id: later copies within it are dropped.")
  @Default.String("10m")
  String getDedupHorizon();

  void setDedupHorizon(String dedupHorizon);

  @Description(
      "If set, also emit EARLY panes this long (processing time) after a pane's first event, "
          + "e.g. 30s. Empty: only ON_TIME and LATE panes.")
  String getEarlyFirings();

  void setEarlyFirings(String earlyFirings);
}
