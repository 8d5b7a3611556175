package dev.millrace.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** De-duplication by record id, the same for the templates of single streams. */
public interface DeduplicationOptions extends PipelineOptions {
  @Description("Event-time horizon of de-duplication by the record's id (event_id, txn_id; a reading's device "
      + "and event time): later copies within it are dropped. Ids are kept at least for the window size + "
      + "allowed lateness, so a copy a window could still count is caught.")
  @Default.String("10m")
  @TemplateParameter(label = "De-duplication horizon", example = "10m", regexes = {ValuePatterns.DURATION},
      group = "Windows")
  String getDedupHorizon();

  void setDedupHorizon(String dedupHorizon);
}
