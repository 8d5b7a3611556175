package dev.millrace.pipelines.fraud;

import dev.millrace.io.accounts.AccountsIO;
import dev.millrace.io.deadletter.DeadLetterIO;
import dev.millrace.io.files.JsonLinesIO;
import dev.millrace.io.kinesis.KinesisRecordsIO;
import dev.millrace.io.parquet.FlushWindows;
import dev.millrace.io.parquet.PartitionedParquetIO;
import dev.millrace.io.parquet.Partitioning;
import dev.millrace.io.reference.ReferenceDataIO;
import dev.millrace.io.synthetic.SyntheticTransactionsConfig;
import dev.millrace.io.synthetic.SyntheticTransactionsIO;
import dev.millrace.model.RawRecord;
import dev.millrace.model.Transaction;
import dev.millrace.model.reference.AccountTable;
import dev.millrace.pipelines.options.Durations;
import dev.millrace.pipelines.options.KinesisSources;
import dev.millrace.pipelines.options.OptionChecks;
import dev.millrace.pipelines.options.Problem;
import dev.millrace.pipelines.options.RecordSources;
import dev.millrace.pipelines.options.TemplateWindowing;
import dev.millrace.transforms.dedup.DeduplicateById;
import dev.millrace.transforms.fraud.FraudAlert;
import dev.millrace.transforms.fraud.FraudRules;
import dev.millrace.transforms.fraud.FraudStats;
import dev.millrace.transforms.fraud.FraudStatsPerWindow;
import dev.millrace.transforms.fraud.ScoreTransactions;
import dev.millrace.transforms.fraud.ScoredTransaction;
import dev.millrace.transforms.parse.ParseRecords;
import dev.millrace.transforms.window.Windowing;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * fraud-detection: card transactions (synthetic, JSON lines or Kinesis) are parsed and validated,
 * de-duplicated by {@code txn_id}, counted per card in event time (velocity), joined with the
 * account data (a side input, reloaded while streaming) and scored by the rules; flagged ones are
 * the {@code alerts} dataset (and optionally a Kinesis stream), and every scored one counts in
 * {@code fraud_stats} per window. Invalid records go to {@code dead_letter}.
 *
 * <pre>
 *   ReadTransactions -> ParseTransactions -> DeduplicateTransactions -> ScoreTransactions (velocity, rules)
 *          ReadAccounts -> AsSideInput -----------------------------------------^
 *     ScoreTransactions -> ToAlerts -> WriteAlerts (+ PublishAlerts); ScoreTransactions -> FraudStats -> WriteFraudStats
 * </pre>
 */
public final class FraudDetection {
  public static final String NAME = "fraud-detection";
  public static final String ALERTS = "alerts";
  public static final String FRAUD_STATS = "fraud_stats";

  private FraudDetection() {}

  /** Checks every option; one {@link IllegalArgumentException} with one line per problem. */
  public static void validate(FraudDetectionOptions options) {
    List<Problem> problems = new ArrayList<>();
    String source = options.getSource();
    RecordSources.check(options, true, "a path or glob of JSON-lines transaction files", problems);
    OptionChecks.checkReferenceFiles(options, "--accounts", options.getAccounts(), source,
        "JSON lines or Parquet account data", problems);
    OptionChecks.checkRefresh("--referenceRefresh", options.getReferenceRefresh(), problems);
    OptionChecks.checkDuration("--windowSize", options.getWindowSize(), true, problems);
    OptionChecks.checkWindowing(options, problems);
    OptionChecks.checkDeduplication(options, problems);
    OptionChecks.checkDuration("--velocityWindow", options.getVelocityWindow(), true, problems);
    if (options.getVelocityCount() < 1) {
      problems.add(new Problem("--velocityCount", "must be >= 1, but was " + options.getVelocityCount()));
    }
    checkThreshold("--spikeStddevs", options.getSpikeStddevs(), problems);
    checkThreshold("--spikeMinAmount", options.getSpikeMinAmount(), problems);
    checkThreshold("--newCategoryFactor", options.getNewCategoryFactor(), problems);
    RecordSources.checkSynthetic(source, options, () -> syntheticConfig(options), problems);
    OptionChecks.checkOptionalStream("--alertsStream", options.getAlertsStream(), problems);
    OptionChecks.checkOutput(options, problems);
    Problem.throwIfAny(problems);
  }

  private static void checkThreshold(String option, double value, List<Problem> problems) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      problems.add(new Problem(option, "must be a number >= 0, but was " + value));
    }
  }

  public static Pipeline build(FraudDetectionOptions options) {
    validate(options);
    Pipeline pipeline = Pipeline.create(options);
    PCollection<RawRecord> records = pipeline.apply("ReadTransactions", source(options));
    PCollectionView<Iterable<AccountTable>> accounts =
        pipeline
            .apply("ReadAccounts", accounts(options, RecordSources.reloadsReferenceData(records)))
            .apply("AsSideInput", View.asIterable());
    expand(records, accounts, options);
    return pipeline;
  }

  public static PipelineResult run(FraudDetectionOptions options) {
    return build(options).run();
  }

  /**
   * Every step after the sources: the seam through which tests feed in-memory records and tables.
   * Returns the scored transactions.
   */
  public static PCollection<ScoredTransaction> expand(
      PCollection<RawRecord> records, PCollectionView<Iterable<AccountTable>> accounts, FraudDetectionOptions options) {
    String output = options.getOutput();
    ErrorHandler<BadRecord, ?> deadLetters =
        records.getPipeline().registerBadRecordErrorHandler(
            DeadLetterIO.write().to(output).withNumShards(options.getNumShards()));
    Duration lateness = Durations.parse(options.getAllowedLateness());
    PCollection<ScoredTransaction> scored =
        records
            .apply("ParseTransactions",
                ParseRecords.transactions(options.getMaxRecordBytes()).withBadRecordErrorHandler(deadLetters))
            .apply("DeduplicateTransactions",
                DeduplicateById.of(Transaction::txnId).withHorizon(Durations.dedupRetention(options.getDedupHorizon(),
                    longer(options.getWindowSize(), options.getVelocityWindow()), options.getAllowedLateness())))
            .apply("ScoreTransactions",
                ScoreTransactions.against(accounts).withRules(rules(options)).withAllowedLateness(lateness));

    PCollection<FraudAlert> alerts = scored.apply("ToAlerts", ParDo.of(new ToAlertFn()));
    alerts
        .apply("WindowByFlush", FlushWindows.<FraudAlert>every(Duration.standardSeconds(10), alerts.isBounded()))
        .apply("WriteAlerts",
            PartitionedParquetIO.<FraudAlert>write().to(output).withDataset(ALERTS)
                .withPartitioning(Partitioning.byHour("event_time")).withNumShards(options.getNumShards()));
    String alertsStream = options.getAlertsStream();
    if (alertsStream != null) {
      KinesisRecordsIO.Write publish =
          KinesisRecordsIO.write().withStreamName(alertsStream).withPartitionKeyField("card_id");
      if (options.getKinesisEndpoint() != null && !options.getKinesisEndpoint().isBlank()) {
        publish = publish.withEndpoint(options.getKinesisEndpoint());
      }
      alerts
          .apply("AlertsAsJson", MapElements.into(TypeDescriptors.strings()).via(FraudAlert::toJson))
          .apply("PublishAlerts", publish);
    }

    scored
        .apply("FraudStatsPerWindow",
            FraudStatsPerWindow.of(
                TemplateWindowing.of(Windowing.fixed(Durations.parse(options.getWindowSize())), options)))
        .apply("WriteFraudStats",
            PartitionedParquetIO.<FraudStats>write().to(output).withDataset(FRAUD_STATS)
                .withPartitioning(Partitioning.byHour("window_start")).withNumShards(options.getNumShards()));
    try {
      deadLetters.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not close the dead-letter handler", e);
    }
    return scored;
  }

  static final class ToAlertFn extends DoFn<ScoredTransaction, FraudAlert> {
    @ProcessElement
    public void process(@Element ScoredTransaction scored, OutputReceiver<FraudAlert> out) {
      if (scored.flagged()) {
        out.output(FraudAlert.of(scored, Instant.now()));
      }
    }
  }

  public static FraudRules rules(FraudDetectionOptions options) {
    return FraudRules.defaults()
        .withSpikeStddevs(options.getSpikeStddevs())
        .withSpikeMinAmount(options.getSpikeMinAmount())
        .withNewCategoryFactor(options.getNewCategoryFactor())
        .withVelocity(options.getVelocityCount(), Durations.parse(options.getVelocityWindow()));
  }

  static PTransform<PBegin, PCollection<RawRecord>> source(FraudDetectionOptions options) {
    if ("file".equals(options.getSource())) {
      return JsonLinesIO.read().from(options.getInput());
    }
    if ("kinesis".equals(options.getSource())) {
      return KinesisSources.read(options);
    }
    SyntheticTransactionsIO read = SyntheticTransactionsIO.read(syntheticConfig(options), options.getMaxEvents());
    return RecordSources.startsWhenRead(options) ? read.startingWhenRead() : read;
  }

  static ReferenceDataIO<AccountTable> accounts(FraudDetectionOptions options, boolean streaming) {
    String files = options.getAccounts();
    ReferenceDataIO<AccountTable> read = files == null || files.isBlank()
        ? AccountsIO.synthetic(syntheticConfig(options))
        : AccountsIO.fromFiles(files);
    return streaming ? read.withRefresh(Durations.parse(options.getReferenceRefresh())) : read;
  }

  /** The synthetic source's configuration (also used to write synthetic files). */
  public static SyntheticTransactionsConfig syntheticConfig(FraudDetectionOptions options) {
    SyntheticTransactionsConfig config = SyntheticTransactionsConfig.defaults();
    try {
      return config.withSeed(options.getSeed()).withEventsPerSecond(options.getRate())
          .withAccounts(options.getSyntheticAccounts())
          .withStartTime(RecordSources.startTime(options, config.startTime()))
          .withDuplicateFraction(options.getDuplicateFraction())
          .withMalformedFraction(options.getMalformedFraction());
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith("--") ? e : RecordSources.asOptionProblem(e);
    }
  }

  /** The longer of two durations, as written. */
  private static String longer(String a, String b) {
    return Durations.parse(a).isLongerThan(Durations.parse(b)) ? a : b;
  }
}
