package dev.millrace.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The synthetic producer's knobs (used with --source=synthetic). */
public interface SyntheticSourceOptions extends PipelineOptions {
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
          + "2026-01-01T00:00:00Z for bounded runs (reproducible), now for unbounded runs.")
  @TemplateParameter(label = "First event time", example = "2026-01-01T00:00:00Z", regexes = {ValuePatterns.INSTANT})
  String getStartTime();

  void setStartTime(String startTime);

  @Description("Synthetic: number of distinct users.")
  @Default.Long(5000)
  @TemplateParameter(label = "Distinct users", example = "5000")
  long getUsers();

  void setUsers(long users);

  @Description("Synthetic: fraction of events whose event time is earlier than their position, "
      + "by up to --maxOutOfOrderness.")
  @Default.Double(0.1)
  @TemplateParameter(label = "Out-of-order fraction", example = "0.1", regexes = {ValuePatterns.FRACTION})
  double getOutOfOrderFraction();

  void setOutOfOrderFraction(double fraction);

  @Description("Synthetic: fraction of events that arrive late, behind the watermark by "
      + "--lateBy to 2x --lateBy.")
  @Default.Double(0.0)
  @TemplateParameter(label = "Late fraction", example = "0.01", regexes = {ValuePatterns.FRACTION})
  double getLateFraction();

  void setLateFraction(double fraction);

  @Description("Synthetic: how far behind late events are.")
  @Default.String("10m")
  @TemplateParameter(label = "Lateness of late events", example = "10m", regexes = {ValuePatterns.DURATION})
  String getLateBy();

  void setLateBy(String lateBy);

  @Description("Synthetic: fraction of events sent twice (same event_id).")
  @Default.Double(0.0)
  @TemplateParameter(label = "Duplicate fraction", example = "0.02", regexes = {ValuePatterns.FRACTION})
  double getDuplicateFraction();

  void setDuplicateFraction(double fraction);

  @Description("Synthetic: fraction of records that are malformed (12 kinds, each a dead-letter reason).")
  @Default.Double(0.0)
  @TemplateParameter(label = "Malformed fraction", example = "0.01", regexes = {ValuePatterns.FRACTION})
  double getMalformedFraction();

  void setMalformedFraction(double fraction);
}
