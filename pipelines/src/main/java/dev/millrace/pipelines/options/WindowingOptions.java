package dev.millrace.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Late data in event-time windows, the same for every template: how long a window takes late records,
 * and how they fire. Window sizes stay with each template (their defaults are the domain's: a minute
 * of clicks, an hour of ad spend), as Beam takes one default per option; sliding windows' period is
 * {@link SlidingWindowOptions}'. The defaults here are {@code Windowing}'s ({@link TemplateWindowing}
 * applies these options to it).
 */
public interface WindowingOptions extends PipelineOptions {
  @Description(
      "How long after a window ends late records still update it (a LATE pane); later ones are dropped from "
          + "the windows and counted. What late records still need is kept this much longer too (a card's "
          + "history for scoring, impressions and clicks awaiting their clicks and conversions). Rules over "
          + "runs of windows judge each window by its first, on-time pane.")
  @Default.String("5m")
  @TemplateParameter(label = "Allowed lateness", example = "5m", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getAllowedLateness();

  void setAllowedLateness(String allowedLateness);

  @Description(
      "Collect late records this long (processing time) into one LATE pane (and one file) per window, "
          + "instead of a pane per late record; 0s fires at once.")
  @Default.String("10s")
  @TemplateParameter(label = "Late firing delay", example = "10s", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getLateFiringDelay();

  void setLateFiringDelay(String lateFiringDelay);
}
