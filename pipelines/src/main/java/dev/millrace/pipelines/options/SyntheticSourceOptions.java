package dev.millrace.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The synthetic clickstream's knobs (used with --source=synthetic), beyond every generator's. */
public interface SyntheticSourceOptions extends GeneratorOptions {
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
}
