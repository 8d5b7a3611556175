package dev.millrace.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Late data and duplicates, for the sensor templates (one set of defaults). */
public interface LatenessOptions extends PipelineOptions {
  @Description(
      "How long after a window ends late readings still update it (a LATE pane); later ones are dropped from "
          + "the windows and counted. Window rules (runs of windows) judge each window by its first, on-time pane.")
  @Default.String("5m")
  @TemplateParameter(label = "Allowed lateness", example = "5m", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getAllowedLateness();

  void setAllowedLateness(String allowedLateness);

  @Description("Collect late readings this long (processing time) into one LATE pane per window; 0s fires at once.")
  @Default.String("10s")
  @TemplateParameter(label = "Late firing delay", example = "10s", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getLateFiringDelay();

  void setLateFiringDelay(String lateFiringDelay);

  @Description("Event-time horizon of de-duplication by (id, event_time): later copies within it are dropped.")
  @Default.String("10m")
  @TemplateParameter(label = "De-duplication horizon", example = "10m", regexes = {ValuePatterns.DURATION},
      group = "Windows")
  String getDedupHorizon();

  void setDedupHorizon(String dedupHorizon);
}
