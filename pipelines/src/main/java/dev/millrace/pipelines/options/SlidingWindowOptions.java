package dev.millrace.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How often a sliding event-time window starts, the same for every template whose windows slide. The
 * window size stays with each template, as its default is the domain's (10m of machine readings, 5m of
 * vitals) and Beam takes one default per option. Templates extend it last: help lists a group's
 * parameters interface by interface, so --windowPeriod keeps its place after --dedupHorizon.
 */
public interface SlidingWindowOptions extends PipelineOptions {
  @Description("How often a sliding window starts (its period); at most --windowSize.")
  @Default.String("1m")
  @TemplateParameter(label = "Window period", example = "1m", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getWindowPeriod();

  void setWindowPeriod(String windowPeriod);
}
