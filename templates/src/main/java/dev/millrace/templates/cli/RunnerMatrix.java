package dev.millrace.templates.cli;

import dev.millrace.templates.catalog.Template;
import dev.millrace.templates.catalog.TemplateCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code docs/runners.md}: what each template does on each runner, bounded and streaming. A refused
 * cell is what {@link RunnerSupport#check} answers for that template's streaming pipeline (the text
 * the CLI prints), so the page cannot drift from the code; a running cell names the tests that
 * compare its output with another runner's or an independent computation. {@code millrace docs}
 * writes it; {@code TemplatesTest} fails when it is stale.
 */
final class RunnerMatrix {
  private RunnerMatrix() {}

  /** Where each template's bounded runs are compared, row for row, on Direct, Flink and Spark. */
  private static final Map<String, String> BOUNDED = Map.of(
      "clickstream-analytics", "RunnerParityTest",
      "log-analytics", "LogAnalyticsParityTest",
      "fraud-detection", "FraudParityTest",
      "predictive-maintenance", "SensorParityTest",
      "patient-monitoring", "SensorParityTest",
      "campaign-analytics", "CampaignParityTest");

  /** Where each template's unbounded (streaming) runs are checked, per runner: Direct, Flink, Spark. */
  private static final Map<String, String[]> STREAMING = Map.of(
      "clickstream-analytics", new String[] {
          "ClickstreamStreamingDedupTest (TestStream), KinesisOnRunnersTest (last panes = Direct file run)",
          "KinesisOnRunnersTest (last panes = Direct file run), ChaosTest (exactly once under faults), "
              + "FlinkStreamingTest",
          "KinesisOnRunnersTest (last panes = Direct file run)"},
      "log-analytics", new String[] {
          "TrafficStatsPerWindowTest, SessionsPerClientTest (TestStream), "
              + "LogAnalyticsParityTest (Kinesis, real access log: all rows = Direct file run)",
          "LogAnalyticsParityTest (Kinesis, real access log: all rows = Direct file run)",
          "LogAnalyticsParityTest (Kinesis, real access log: all rows = Direct file run)"},
      "fraud-detection", new String[] {
          "VelocityPerCardTest, ScoreTransactionsTest, FraudStatsPerWindowTest (TestStream), "
              + "FraudParityTest (Kinesis: alerts and last panes = Direct file run)",
          "FraudParityTest (alerts and last panes = Direct file run)",
          "FraudParityTest (alerts and last panes = Direct file run)"},
      "predictive-maintenance", new String[] {
          "PredictiveMaintenanceStreamingTest, ConsecutiveWindowRunsTest, SilenceDetectorTest (TestStream), "
              + "SensorParityTest (Kinesis: alerts and last panes = Direct file run)",
          "SensorParityTest (alerts and last panes = Direct file run)",
          "SensorParityTest (alerts and last panes = Direct file run)"},
      "patient-monitoring", new String[] {
          "PatientMonitoringStreamingTest, GeofenceTransitionsTest (TestStream), "
              + "SensorParityTest (Kinesis: notifications and last panes = Direct file run)",
          "SensorParityTest (notifications and last panes = Direct file run)",
          "SensorParityTest (notifications and last panes = Direct file run)"},
      "campaign-analytics", new String[] {
          "AttributeClicksTest, AttributeConversionsTest (TestStream, timers and watermark ticks), "
              + "CampaignParityTest (three Kinesis streams: all rows, last panes = Direct file run)",
          "CampaignParityTest (three Kinesis streams: all rows, last panes = Direct file run)",
          "CampaignParityTest (three Kinesis streams: all rows, last panes = Direct file run)"});

  /** Stands in for Beam's SparkRunner, to ask {@link RunnerSupport} without Spark on the classpath. */
  public static final class SparkRunnerByName extends PipelineRunner<PipelineResult> {
    public static SparkRunnerByName fromOptions(PipelineOptions options) {
      return new SparkRunnerByName();
    }

    @Override
    public PipelineResult run(Pipeline pipeline) {
      throw new UnsupportedOperationException("only stands in for the SparkRunner's name");
    }
  }

  /** Why Spark refuses the template's streaming pipeline, or null when it runs it. */
  static String sparkStreamingRefusal(Template<?> template) {
    boolean synthetic = OptionsHelp.parameters(template.optionsClass()).stream().anyMatch(p -> p.name().equals("seed"));
    List<String> args = new ArrayList<>(List.of("--streaming=true"));
    args.addAll(synthetic ? List.of("--source=synthetic")
        : List.of("--source=kinesis", "--stream=s", "--kinesisEndpoint=http://127.0.0.1:4568"));
    PipelineOptions options = OptionParsing.parse(template, args.toArray(new String[0]));
    options.setRunner(SparkRunnerByName.class);
    return RunnerSupport.check(options, template.build(options));
  }

  static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Runners: what runs where\n\n")
        .append("<!-- Generated by `bin/millrace docs` from RunnerMatrix and RunnerSupport; TemplatesTest fails when it is stale. -->\n\n")
        .append("Every template runs bounded (`--source=file`, synthetic `--maxEvents`, or Kinesis `--maxRecords`) ")
        .append("on the Direct, Flink and Spark runners, and unbounded (`--streaming=true`) where the table says so. ")
        .append("A refusal is checked before the job starts (exit 2) and its reason is the one printed here. ")
        .append("Beam 2.70; Flink 1.19 (embedded or the local cluster), Spark 3 (`local[2]` or the local cluster).\n\n")
        .append("| template | bounded: Direct, Flink, Spark | streaming: Direct | streaming: Flink | streaming: Spark |\n")
        .append("|---|---|---|---|---|\n");
    for (Template<?> template : TemplateCatalog.all()) {
      String[] streaming = STREAMING.get(template.name());
      String refusal = sparkStreamingRefusal(template);
      String spark = refusal != null ? "refused: " + refusal
          : streaming[2] != null ? streaming[2] : "runs; no streaming check yet";
      md.append("| `").append(template.name()).append("` | same rows on all three (")
          .append(BOUNDED.get(template.name())).append(") | ")
          .append(streaming[0]).append(" | ").append(streaming[1]).append(" | ").append(spark).append(" |\n");
    }
    md.append("\nHow Spark streams (Beam's classic Spark runner, DStreams): micro-batches of `--batchIntervalMillis` ")
        .append("(Millrace's default 2,000 ms, not Beam's 500 ms: a micro-batch of a Millrace pipeline takes 0.5-2 s on ")
        .append("2 cores whatever its size, so 500 ms batches queue up; predictive-maintenance, 6,005 records from Kinesis ")
        .append("on `local[2]`: 113 s in 68 batches at 500 ms, 50 s in 18 batches at 2,000 ms, same rows); it has state and processing-time timers but no event-time timers in streaming, ")
        .append("so a step that needs them either has a second implementation chosen from the runner's capabilities ")
        .append("(`DeduplicateById`, `VelocityPerCard`, `AttributeClicksAndConversions`, and through `SweepOnWatermarkTicks` ")
        .append("`ConsecutiveWindowRuns`, `SilenceDetector` and `GeofenceTransitions`, act on watermark ticks: counts per step ")
        .append("of event time that fire as the watermark passes them, sent to every shard) or the template is refused, naming ")
        .append("the steps (none is today). campaign-analytics' two joins become one step there: with no watermark holds, ")
        .append("a conversion could be decided within a micro-batch before the click the first join emits for it, so each ")
        .append("shard attributes its clicks up to a tick before it offers its last click for each conversion, and a ")
        .append("conversion is decided once every shard has offered one. ")
        .append("Ticks come only for event time that has data (and, for silences, once at the end of the input): ")
        .append("a silence followed by no data at all is reported at the next data or at the end. Spark takes a source's watermark as ")
        .append("the highest of its splits', so the Kinesis source reads every shard in one split there. ")
        .append("With `--maxRecords` a streaming job ends: the watermark goes to the end of time after the records, ")
        .append("and the CLI stops Spark's streaming context three micro-batches after Spark's own watermarks get there; ")
        .append("reference tables are then loaded once (a reload source never ends). Without event-time timers there are no ")
        .append("watermark holds on Spark: a velocity verdict comes after the watermark has passed its transaction, so ")
        .append("fraud_stats windows get it as late data (a LATE pane within `--allowedLateness`). ")
        .append("Spark's streaming groupings keep a key and window's values in one bag that is decoded and re-encoded ")
        .append("whole for each value added, so Millrace combines values within each micro-batch partition first ")
        .append("(`PreCombinePerKey`; clickstream-analytics, 5,235 records from Kinesis on `local[2]`: 66-75 s before, 29 s, ")
        .append("same rows). And Spark drops values behind the allowed lateness without reporting them in any metric; ")
        .append("the CLI counts them with a twin beside each such grouping (`CountLateDrops`, docs/guarantees.md). ")
        .append("A driver restarted from an earlier run's `--checkpointDir` is refused: Spark resumes from it, but not ")
        .append("exactly (1 of 4 restarts by hand over-counted 28 of 2,059 rows; all 4 counted records twice in their ")
        .append("summaries; docs/guarantees.md), so each Spark streaming run starts afresh. Streaming on the local Spark ")
        .append("cluster (`--sparkMaster=spark://127.0.0.1:7077`, `bin/millrace local up --spark`) is checked in the ")
        .append("suite for clickstream-analytics (KinesisOnRunnersTest: 5.1k records from Kinesis, the last panes and ")
        .append("dead letters of the DirectRunner's file run, 32 s) and was checked by hand for campaign-analytics (three ")
        .append("streams, 5,690 records: attributions and orphans row for row, 63 s); relative file paths in a run's ")
        .append("options are made absolute by the CLI, since a cluster's workers run in their own directory.\n");
    return md.toString();
  }
}
