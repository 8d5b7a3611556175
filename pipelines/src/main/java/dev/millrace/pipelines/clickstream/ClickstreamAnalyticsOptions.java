package dev.millrace.pipelines.clickstream;

import dev.millrace.pipelines.options.TemplateMetadata;
import dev.millrace.pipelines.options.TemplateParameter;
import dev.millrace.pipelines.options.ValuePatterns;
import dev.millrace.pipelines.options.KinesisSourceOptions;
import dev.millrace.pipelines.options.ParquetOutputOptions;
import dev.millrace.pipelines.options.WindowingOptions;
import dev.millrace.pipelines.options.DeduplicationOptions;
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
    extends RecordSourceOptions, SyntheticSourceOptions, KinesisSourceOptions, ParquetOutputOptions,
    WindowingOptions, DeduplicationOptions {

  @Description("Length of the fixed event-time windows of page_stats.")
  @Default.String("1m")
  @TemplateParameter(label = "Window size", example = "1m", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getWindowSize();

  void setWindowSize(String windowSize);

  @Description(
      "If set, also emit EARLY panes this long (processing time) after a pane's first event, "
          + "e.g. 30s. Empty: only ON_TIME and LATE panes.")
  @TemplateParameter(label = "Early firings every", example = "30s", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getEarlyFirings();

  void setEarlyFirings(String earlyFirings);
}
