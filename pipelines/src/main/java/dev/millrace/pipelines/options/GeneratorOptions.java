package dev.millrace.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Every synthetic producer's knobs (used with --source=synthetic): seed, rate, size, start, bad records. */
public interface GeneratorOptions extends PipelineOptions {
  @Description("Synthetic: random seed; the same seed always produces the same records.")
  @Default.Long(42)
  @TemplateParameter(label = "Random seed", example = "42")
  long getSeed();

  void setSeed(long seed);

  @Description(
      "Synthetic: events per second. Unbounded runs produce at this wall-clock rate; bounded runs "
          + "(--maxEvents) generate as fast as they can and use the rate only to space event times.")
  @Default.Double(100)
  @TemplateParameter(label = "Events per second", example = "1000")
  double getRate();

  void setRate(double rate);

  @Description("Synthetic: stop after this many events (a bounded run); 0 means unbounded.")
  @Default.Long(0)
  @TemplateParameter(label = "Number of events", example = "100000")
  long getMaxEvents();

  void setMaxEvents(long maxEvents);

  @Description(
      "Synthetic: event time of the first event, ISO-8601 (2026-01-01T00:00:00Z). Default: "
          + "2026-01-01T00:00:00Z for bounded runs (reproducible). Unbounded runs without it stamp events "
          + "from when the source starts reading, as a live producer would (campaign-analytics, whose three "
          + "streams must agree: from when the job is built).")
  @TemplateParameter(label = "First event time", example = "2026-01-01T00:00:00Z", regexes = {ValuePatterns.INSTANT})
  String getStartTime();

  void setStartTime(String startTime);

  @Description("Synthetic: fraction of events sent twice (same event_id).")
  @Default.Double(0.0)
  @TemplateParameter(label = "Duplicate fraction", example = "0.02", regexes = {ValuePatterns.FRACTION})
  double getDuplicateFraction();

  void setDuplicateFraction(double fraction);

  @Description("Synthetic: fraction of records that are malformed (each kind a dead-letter reason).")
  @Default.Double(0.0)
  @TemplateParameter(label = "Malformed fraction", example = "0.01", regexes = {ValuePatterns.FRACTION})
  double getMalformedFraction();

  void setMalformedFraction(double fraction);
}
