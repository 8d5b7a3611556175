package dev.millrace.pipelines.clickstream;

import dev.millrace.io.deadletter.DeadLetterIO;
import dev.millrace.io.files.JsonLinesIO;
import dev.millrace.io.parquet.PartitionedParquetIO;
import dev.millrace.io.parquet.Partitioning;
import dev.millrace.io.synthetic.SyntheticClickstreamConfig;
import dev.millrace.io.synthetic.SyntheticClickstreamIO;
import dev.millrace.model.ClickEvent;
import dev.millrace.model.PageStats;
import dev.millrace.model.RawRecord;
import dev.millrace.pipelines.options.Durations;
import dev.millrace.pipelines.options.KinesisSources;
import dev.millrace.pipelines.options.OptionChecks;
import dev.millrace.pipelines.options.Problem;
import dev.millrace.pipelines.options.RecordSources;
import dev.millrace.pipelines.options.TemplateWindowing;
import dev.millrace.transforms.dedup.DeduplicateById;
import dev.millrace.transforms.parse.ParseRecords;
import dev.millrace.transforms.window.PageStatsPerWindow;
import dev.millrace.transforms.window.Windowing;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * clickstream-analytics: records (synthetic or JSON lines) are parsed and validated, de-duplicated by
 * {@code event_id}, aggregated per page in fixed event-time windows and written as the {@code
 * page_stats} Parquet dataset; every invalid record goes to the {@code dead_letter} dataset.
 *
 * <pre>
 *   ReadRecords -> ParseEvents (fields read after it only) -> DeduplicateEvents -> WindowPageStats -> WritePageStats
 *                       \-> (bad records) -> WriteDeadLetters
 * </pre>
 */
public final class ClickstreamAnalytics {
  public static final String NAME = "clickstream-analytics";
  public static final String PAGE_STATS = "page_stats";

  private ClickstreamAnalytics() {}

  /**
   * Checks every option and the rules between them; throws one {@link IllegalArgumentException}
   * whose message has one line per problem, each starting with the option's name.
   */
  public static void validate(ClickstreamAnalyticsOptions options) {
    List<Problem> problems = problems(options, true);
    Problem.throwIfAny(problems);
  }

  /**
   * The problems with the options, one line each; {@code sourceConflicts} false skips the rules
   * between the source and the Kinesis parameters (for the producer, whose --stream is its target).
   */
  public static List<Problem> problems(ClickstreamAnalyticsOptions options, boolean sourceConflicts) {
    List<Problem> problems = new ArrayList<>();
    String source = options.getSource();
    RecordSources.check(options, sourceConflicts, "a path or glob of JSON-lines files", problems);
    OptionChecks.checkDuration("--windowSize", options.getWindowSize(), true, problems);
    OptionChecks.checkWindowing(options, problems);
    OptionChecks.checkDeduplication(options, problems);
    if (options.getEarlyFirings() != null && !options.getEarlyFirings().isBlank()) {
      OptionChecks.checkDuration("--earlyFirings", options.getEarlyFirings(), true, problems);
    }
    OptionChecks.checkOutput(options, problems);
    RecordSources.checkSynthetic(source, options, () -> syntheticConfig(options), problems);
    return problems;
  }

  /** Builds the pipeline reading from the configured source. */
  public static Pipeline build(ClickstreamAnalyticsOptions options) {
    validate(options);
    Pipeline pipeline = Pipeline.create(options);
    PCollection<RawRecord> records = pipeline.apply("ReadRecords", source(options));
    expand(records, options);
    return pipeline;
  }

  /** Builds and starts the pipeline; the result is not waited on. */
  public static PipelineResult run(ClickstreamAnalyticsOptions options) {
    return build(options).run();
  }

  /**
   * Applies every step after the source to {@code records}: the seam through which tests feed
   * in-memory records. Returns the page stats before they are written.
   */
  public static PCollection<PageStats> expand(
      PCollection<RawRecord> records, ClickstreamAnalyticsOptions options) {
    Pipeline pipeline = records.getPipeline();
    String output = options.getOutput();
    ErrorHandler<BadRecord, ?> deadLetters =
        pipeline.registerBadRecordErrorHandler(
            DeadLetterIO.write().to(output).withNumShards(options.getNumShards()));
    PCollection<ClickEvent> events =
        records.apply(
            "ParseEvents",
            ParseRecords.clickEvents(options.getMaxRecordBytes())
                .keepingOnly(PageStatsPerWindow.fieldsItReads())
                .withBadRecordErrorHandler(deadLetters));
    Windowing windowing = TemplateWindowing.of(Windowing.fixed(Durations.parse(options.getWindowSize())), options);
    if (options.getEarlyFirings() != null && !options.getEarlyFirings().isBlank()) {
      windowing = windowing.withEarlyFiringsEvery(Durations.parse(options.getEarlyFirings()));
    }
    PCollection<PageStats> stats =
        events
            .apply(
                "DeduplicateEvents",
                DeduplicateById.of(ClickEvent::getEventId).withHorizon(Durations.dedupRetention(
                    options.getDedupHorizon(), options.getWindowSize(), options.getAllowedLateness())))
            .apply("WindowPageStats", PageStatsPerWindow.create().withWindowing(windowing));
    stats.apply(
        "WritePageStats",
        PartitionedParquetIO.<PageStats>write()
            .to(output)
            .withDataset(PAGE_STATS)
            .withPartitioning(Partitioning.byHour("window_start"))
            .withNumShards(options.getNumShards()));
    // Closing the handler applies the dead-letter sink to every collected bad record.
    close(deadLetters);
    return stats;
  }

  private static void close(ErrorHandler<BadRecord, ?> handler) {
    try {
      handler.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not close the dead-letter handler", e);
    }
  }

  static PTransform<PBegin, PCollection<RawRecord>> source(ClickstreamAnalyticsOptions options) {
    if ("file".equals(options.getSource())) {
      return JsonLinesIO.read().from(options.getInput());
    }
    if ("kinesis".equals(options.getSource())) {
      return KinesisSources.read(options);
    }
    SyntheticClickstreamIO.Read read =
        SyntheticClickstreamIO.read().withConfig(syntheticConfig(options));
    if (options.getMaxEvents() > 0) {
      return read.withMaxEvents(options.getMaxEvents());
    }
    return RecordSources.startsWhenRead(options) ? read.startingWhenRead() : read;
  }

  /** The synthetic source's configuration from the options (also used to write synthetic files). */
  public static SyntheticClickstreamConfig syntheticConfig(ClickstreamAnalyticsOptions options) {
    SyntheticClickstreamConfig.Builder config =
        SyntheticClickstreamConfig.builder()
            .setSeed(options.getSeed())
            .setEventsPerSecond(options.getRate())
            .setUsers(options.getUsers())
            .setOutOfOrderFraction(options.getOutOfOrderFraction())
            .setMaxOutOfOrderness(named("--maxOutOfOrderness", options.getMaxOutOfOrderness(), Durations::parse))
            .setLateFraction(options.getLateFraction())
            .setLateBy(named("--lateBy", options.getLateBy(), Durations::parse))
            .setDuplicateFraction(options.getDuplicateFraction())
            .setMalformedFraction(options.getMalformedFraction());
    String start = options.getStartTime();
    if (start != null && !start.isBlank()) {
      config.setStartTime(named("--startTime", start, Instant::parse));
    } else if (options.getMaxEvents() == 0) {
      config.setStartTime(Instant.now());
    }
    try {
      return config.build();
    } catch (IllegalArgumentException e) {
      // The config names its fields; options users know them as --flags.
      throw new IllegalArgumentException(
          "--" + e.getMessage().replaceFirst("^(\\w+) must", "$1: must"));
    }
  }

  private static <T> T named(String option, String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage());
    }
  }

}
