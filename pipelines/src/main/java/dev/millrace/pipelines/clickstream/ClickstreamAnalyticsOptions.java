package dev.millrace.pipelines.clickstream;

import dev.millrace.pipelines.options.TemplateMetadata;
import dev.millrace.pipelines.options.TemplateParameter;
import dev.millrace.pipelines.options.ValuePatterns;
import dev.millrace.pipelines.options.KinesisSourceOptions;
import dev.millrace.pipelines.options.ParquetOutputOptions;
import dev.millrace.pipelines.options.RecordSourceOptions;
import dev.millrace.pipelines.options.SyntheticSourceOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The parameters of clickstream-analytics. */
@TemplateMetadata(
    name = ClickstreamAnalytics.NAME,
    description = "Clickstream events to per-page statistics in event-time windows, as Parquet, "
        + "with de-duplication and dead letters.",
    streaming = true,
    datasets = {ClickstreamAnalytics.PAGE_STATS, "dead_letter"})
public interface ClickstreamAnalyticsOptions
    extends RecordSourceOptions, SyntheticSourceOptions, KinesisSourceOptions, ParquetOutputOptions {

  @Description("Length of the fixed event-time windows of page_stats.")
  @Default.String("1m")
  @TemplateParameter(label = "Window size", example = "1m", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getWindowSize();

  void setWindowSize(String windowSize);

  @Description(
      "How long after a window ends late events still update it (a LATE pane); "
          + "later events are dropped and counted.")
  @Default.String("5m")
  @TemplateParameter(label = "Allowed lateness", example = "5m", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getAllowedLateness();

  void setAllowedLateness(String allowedLateness);

  @Description(
      "Collect late events this long (processing time) into one LATE pane (and one file) per "
          + "window, instead of a pane per late event; 0s fires at once.")
  @Default.String("10s")
  @TemplateParameter(label = "Late firing delay", example = "10s", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getLateFiringDelay();

  void setLateFiringDelay(String lateFiringDelay);

  @Description("Event-time horizon of de-duplication by event_id: later copies within it are dropped. Ids are "
      + "kept at least for the window size + allowed lateness, so a copy a window could still count is caught.")
  @Default.String("10m")
  @TemplateParameter(label = "De-duplication horizon", example = "10m", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getDedupHorizon();

  void setDedupHorizon(String dedupHorizon);

  @Description(
      "If set, also emit EARLY panes this long (processing time) after a pane's first event, "
          + "e.g. 30s. Empty: only ON_TIME and LATE panes.")
  @TemplateParameter(label = "Early firings every", example = "30s", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getEarlyFirings();

  void setEarlyFirings(String earlyFirings);
}
