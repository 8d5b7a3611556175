package dev.millrace.pipelines.fraud;

import dev.millrace.pipelines.options.GeneratorOptions;
import dev.millrace.pipelines.options.KinesisSourceOptions;
import dev.millrace.pipelines.options.ParquetOutputOptions;
import dev.millrace.pipelines.options.WindowingOptions;
import dev.millrace.pipelines.options.DeduplicationOptions;
import dev.millrace.pipelines.options.RecordSourceOptions;
import dev.millrace.pipelines.options.TemplateMetadata;
import dev.millrace.pipelines.options.TemplateParameter;
import dev.millrace.pipelines.options.ValuePatterns;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The parameters of fraud-detection. */
@TemplateMetadata(
    name = FraudDetection.NAME,
    description = "Card transactions joined with historic account data (reloaded while running): "
        + "rule-based fraud alerts (one row per flagged transaction, optionally to a Kinesis stream) "
        + "and fraud statistics per event-time window, as Parquet, with dead letters.",
    streaming = true,
    datasets = {FraudDetection.ALERTS, FraudDetection.FRAUD_STATS, "dead_letter"})
public interface FraudDetectionOptions
    extends RecordSourceOptions, GeneratorOptions, KinesisSourceOptions, ParquetOutputOptions,
    WindowingOptions, DeduplicationOptions {

  @Description(
      "The account data: JSON lines (optionally compressed) or Parquet files, a path or glob on any Beam "
          + "filesystem, one row per account (account_id, home_country, avg_amount_90d, stddev_amount_90d, "
          + "txn_count_90d, known_mccs, opened_date, risk_tier). Required with --source=file or kinesis; "
          + "with --source=synthetic the generator's own accounts are used unless this is set.")
  @TemplateParameter(
      path = true, label = "Account data", example = "reference/accounts.jsonl", group = "Reference data")
  String getAccounts();

  void setAccounts(String accounts);

  @Description(
      "In streaming runs, how often the account data is checked and, when its files changed, reloaded "
          + "without restarting; a bad reload keeps the last good table (logged, counted as "
          + "account_reloads_failed).")
  @Default.String("10m")
  @TemplateParameter(label = "Reference refresh", example = "10m", regexes = {ValuePatterns.DURATION},
      group = "Reference data")
  String getReferenceRefresh();

  void setReferenceRefresh(String referenceRefresh);

  @Description("Synthetic: number of accounts in the generated account data (each with 2 cards).")
  @Default.Integer(10_000)
  @TemplateParameter(label = "Synthetic accounts", example = "10000", regexes = {"[1-9][0-9]*"})
  int getSyntheticAccounts();

  void setSyntheticAccounts(int syntheticAccounts);

  @Description("amount_spike: flag amount > avg_amount_90d + this many stddev_amount_90d (and > --spikeMinAmount).")
  @Default.Double(4)
  @TemplateParameter(label = "Spike standard deviations", example = "4", regexes = {ValuePatterns.DECIMAL},
      group = "Rules")
  double getSpikeStddevs();

  void setSpikeStddevs(double spikeStddevs);

  @Description("amount_spike: only amounts above this are spikes.")
  @Default.Double(100)
  @TemplateParameter(label = "Spike minimum amount", example = "100", regexes = {ValuePatterns.DECIMAL},
      group = "Rules")
  double getSpikeMinAmount();

  void setSpikeMinAmount(double spikeMinAmount);

  @Description("new_merchant_category: flag an mcc not in known_mccs when amount > this times avg_amount_90d.")
  @Default.Double(3)
  @TemplateParameter(label = "New category factor", example = "3", regexes = {ValuePatterns.DECIMAL},
      group = "Rules")
  double getNewCategoryFactor();

  void setNewCategoryFactor(double newCategoryFactor);

  @Description("velocity: flag a transaction when its card has at least this many transactions (itself and ties "
      + "included) with event time in (t - --velocityWindow, t].")
  @Default.Integer(6)
  @TemplateParameter(label = "Velocity count", example = "6", regexes = {"[1-9][0-9]*"}, group = "Rules")
  int getVelocityCount();

  void setVelocityCount(int velocityCount);

  @Description("velocity: the event-time span the transactions are counted over.")
  @Default.String("60s")
  @TemplateParameter(label = "Velocity window", example = "60s", regexes = {ValuePatterns.DURATION}, group = "Rules")
  String getVelocityWindow();

  void setVelocityWindow(String velocityWindow);

  @Description("If set, alerts are also put as JSON records (partition key card_id) into this Kinesis stream "
      + "(at --kinesisEndpoint, or AWS).")
  @TemplateParameter(label = "Alerts stream", example = "fraud-alerts", regexes = {ValuePatterns.STREAM_NAME},
      group = "Outputs")
  String getAlertsStream();

  void setAlertsStream(String alertsStream);

  @Description("Length of the fixed event-time windows of fraud_stats.")
  @Default.String("1m")
  @TemplateParameter(label = "Window size", example = "1m", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getWindowSize();

  void setWindowSize(String windowSize);
}
