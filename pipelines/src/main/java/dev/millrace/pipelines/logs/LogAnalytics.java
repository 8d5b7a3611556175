package dev.millrace.pipelines.logs;

import dev.millrace.io.deadletter.DeadLetterIO;
import dev.millrace.io.files.JsonLinesIO;
import dev.millrace.io.parquet.PartitionedParquetIO;
import dev.millrace.io.parquet.Partitioning;
import dev.millrace.model.AccessLogEntry;
import dev.millrace.model.ClientSession;
import dev.millrace.model.RawRecord;
import dev.millrace.model.TopPath;
import dev.millrace.model.TrafficStats;
import dev.millrace.pipelines.options.Durations;
import dev.millrace.pipelines.options.KinesisSources;
import dev.millrace.pipelines.options.OptionChecks;
import dev.millrace.pipelines.options.Problem;
import dev.millrace.pipelines.options.TemplateWindowing;
import dev.millrace.transforms.logs.LogStatisticsFields;
import dev.millrace.transforms.logs.SessionsPerClient;
import dev.millrace.transforms.logs.TrafficStatsPerWindow;
import dev.millrace.transforms.parse.AccessLogParser;
import dev.millrace.transforms.parse.ParseRecords;
import dev.millrace.transforms.window.Windowing;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * log-analytics: web server access logs (Apache/Nginx "combined" format) to traffic statistics and
 * top paths per event-time window and client sessions, as Parquet; every line that breaks the format
 * goes to the {@code dead_letter} dataset with its file and line number.
 *
 * <pre>
 *   ReadLines -> ParseLogLines (fields read after it only) -> TrafficPerWindow -> WriteTrafficStats, WriteTopPaths
 *                      |                                      \-> SessionsPerClient -> WriteSessions
 *                      \-> (bad lines) -> WriteDeadLetters
 * </pre>
 */
public final class LogAnalytics {
  public static final String NAME = "log-analytics";
  public static final String TRAFFIC_STATS = "traffic_stats";
  public static final String TOP_PATHS = "top_paths";
  public static final String SESSIONS = "sessions";

  private LogAnalytics() {}

  /** Checks every option; one {@link IllegalArgumentException} with one line per problem. */
  public static void validate(LogAnalyticsOptions options) {
    List<Problem> problems = new ArrayList<>();
    if ("kinesis".equals(options.getSource())) {
      KinesisSources.check(options, problems);
    } else if (!"file".equals(options.getSource())) {
      problems.add(new Problem("--source", "log-analytics reads access log lines from files (--source=file --input=<glob>) or"
          + " a Kinesis stream (--source=kinesis --stream=<name>), but was '" + options.getSource() + "'"));
    } else if (options.getInput() == null || options.getInput().isBlank()) {
      problems.add(new Problem("--input", "required with --source=file (a path or glob of access log files, .gz allowed)"));
    } else {
      OptionChecks.checkInputMatches(options, options.getInput(), problems);
    }
    KinesisSources.checkConflicts(options, options.getSource(), options.getInput(), problems);
    OptionChecks.checkDuration("--windowSize", options.getWindowSize(), true, problems);
    OptionChecks.checkDuration("--sessionGap", options.getSessionGap(), true, problems);
    OptionChecks.checkWindowing(options, problems);
    if (options.getTopN() < 1) {
      problems.add(new Problem("--topN", "must be >= 1, but was " + options.getTopN()));
    }
    if (options.getNumShards() < 1) {
      problems.add(new Problem("--numShards", "must be >= 1, but was " + options.getNumShards()));
    }
    if (options.getMaxRecordBytes() < 1) {
      problems.add(new Problem("--maxRecordBytes", "must be >= 1, but was " + options.getMaxRecordBytes()));
    }
    if (options.getOutput() == null || options.getOutput().isBlank()) {
      problems.add(new Problem("--output", "must not be empty"));
    } else {
      OptionChecks.checkLocalOutput(options.getOutput(), problems);
    }
    Problem.throwIfAny(problems);
  }

  public static Pipeline build(LogAnalyticsOptions options) {
    validate(options);
    Pipeline pipeline = Pipeline.create(options);
    expand(pipeline.apply("ReadLines", source(options)), options);
    return pipeline;
  }

  static PTransform<PBegin, PCollection<RawRecord>> source(LogAnalyticsOptions options) {
    if ("kinesis".equals(options.getSource())) {
      // One log line per record; its time is the line's own %t.
      return KinesisSources.read(options).withPayloadEventTime(AccessLogParser::eventTimeOf);
    }
    return JsonLinesIO.read().from(options.getInput());
  }

  public static PipelineResult run(LogAnalyticsOptions options) {
    return build(options).run();
  }

  /** Every step after the source: the seam through which tests feed in-memory lines. */
  public static void expand(PCollection<RawRecord> lines, LogAnalyticsOptions options) {
    String output = options.getOutput();
    ErrorHandler<BadRecord, ?> deadLetters =
        lines.getPipeline().registerBadRecordErrorHandler(
            DeadLetterIO.write().to(output).withNumShards(options.getNumShards()));
    PCollection<AccessLogEntry> entries =
        lines.apply("ParseLogLines",
            ParseRecords.accessLogs(options.getMaxRecordBytes())
                .keepingOnly(LogStatisticsFields.keepOnly())
                .withBadRecordErrorHandler(deadLetters));
    PCollectionTuple traffic =
        entries.apply("TrafficPerWindow",
            TrafficStatsPerWindow.create()
                .withWindowing(TemplateWindowing.of(Windowing.fixed(Durations.parse(options.getWindowSize())), options))
                .withTopN(options.getTopN()));
    traffic.get(TrafficStatsPerWindow.STATS).apply("WriteTrafficStats",
        PartitionedParquetIO.<TrafficStats>write().to(output).withDataset(TRAFFIC_STATS)
            .withPartitioning(Partitioning.byHour("window_start")).withNumShards(options.getNumShards()));
    traffic.get(TrafficStatsPerWindow.TOP_PATHS).apply("WriteTopPaths",
        PartitionedParquetIO.<TopPath>write().to(output).withDataset(TOP_PATHS)
            .withPartitioning(Partitioning.byHour("window_start")).withNumShards(options.getNumShards()));
    entries
        .apply("SessionsPerClient",
            SessionsPerClient.create()
                .withWindowing(TemplateWindowing.of(Windowing.sessions(Durations.parse(options.getSessionGap())), options)))
        .apply("WriteSessions",
            PartitionedParquetIO.<ClientSession>write().to(output).withDataset(SESSIONS)
                .withPartitioning(Partitioning.byHour("session_start")).withNumShards(options.getNumShards()));
    try {
      deadLetters.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not close the dead-letter handler", e);
    }
  }
}
