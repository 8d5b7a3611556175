package dev.millrace.pipelines.campaign;

import dev.millrace.pipelines.options.GeneratorOptions;
import dev.millrace.pipelines.options.KinesisSourceOptions;
import dev.millrace.pipelines.options.ParquetOutputOptions;
import dev.millrace.pipelines.options.WindowingOptions;
import dev.millrace.pipelines.options.RecordSourceOptions;
import dev.millrace.pipelines.options.TemplateMetadata;
import dev.millrace.pipelines.options.TemplateParameter;
import dev.millrace.pipelines.options.ValuePatterns;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The parameters of campaign-analytics. Its records come from three inputs, so --input and --stream
 * (one input) are refused; the other source and Kinesis options apply to each of the three.
 */
@TemplateMetadata(
    name = CampaignAnalytics.NAME,
    description = "Ad impressions, clicks and conversions (three streams) joined in event time: each click with "
        + "its impression, each conversion with the user's last click (attributions, orphan clicks), and per "
        + "event-time window campaign and audience-segment statistics (spend, CTR, CVR, ROAS) with campaign and "
        + "customer reference data, as Parquet, with dead letters.",
    streaming = true,
    datasets = {CampaignAnalytics.ATTRIBUTIONS, CampaignAnalytics.CAMPAIGN_STATS, CampaignAnalytics.AUDIENCE_STATS,
        CampaignAnalytics.ORPHANS, "dead_letter"},
    refusedParameters = {"input", "stream"})
public interface CampaignAnalyticsOptions
    extends RecordSourceOptions, GeneratorOptions, KinesisSourceOptions, ParquetOutputOptions,
    WindowingOptions {

  @Description("Impressions with --source=file: a path or glob of JSON-lines files, one impression per line "
      + "(impression_id, event_time, campaign_id, user_id, placement, cost_micros).")
  @TemplateParameter(path = true, label = "Impression files", example = "data/impressions.jsonl", group = "Source")
  String getImpressions();

  void setImpressions(String impressions);

  @Description("Clicks with --source=file: JSON-lines files (click_id, event_time, impression_id, user_id).")
  @TemplateParameter(path = true, label = "Click files", example = "data/clicks.jsonl", group = "Source")
  String getClicks();

  void setClicks(String clicks);

  @Description("Conversions with --source=file: JSON-lines files (conversion_id, event_time, user_id, order_value).")
  @TemplateParameter(path = true, label = "Conversion files", example = "data/conversions.jsonl", group = "Source")
  String getConversions();

  void setConversions(String conversions);

  @Description("Impressions with --source=kinesis: the Kinesis stream to read.")
  @TemplateParameter(label = "Impressions stream", example = "impressions", regexes = {ValuePatterns.STREAM_NAME},
      group = "Source")
  String getImpressionsStream();

  void setImpressionsStream(String impressionsStream);

  @Description("Clicks with --source=kinesis: the Kinesis stream to read.")
  @TemplateParameter(label = "Clicks stream", example = "clicks", regexes = {ValuePatterns.STREAM_NAME},
      group = "Source")
  String getClicksStream();

  void setClicksStream(String clicksStream);

  @Description("Conversions with --source=kinesis: the Kinesis stream to read.")
  @TemplateParameter(label = "Conversions stream", example = "conversions", regexes = {ValuePatterns.STREAM_NAME},
      group = "Source")
  String getConversionsStream();

  void setConversionsStream(String conversionsStream);

  @Description("Impressions with --source=kinesis: stop after this many records of the impressions stream; 0 = "
      + "--maxRecords. The three streams hold different numbers of records, so a run that must end (a bounded run, "
      + "or --streaming=true until every window is final) gives each stream its own count.")
  @Default.Long(0)
  @TemplateParameter(label = "Impression records to read", example = "12000", regexes = {"[0-9]+"}, group = "Source")
  long getImpressionsMaxRecords();

  void setImpressionsMaxRecords(long impressionsMaxRecords);

  @Description("Clicks with --source=kinesis: stop after this many records of the clicks stream; 0 = --maxRecords.")
  @Default.Long(0)
  @TemplateParameter(label = "Click records to read", example = "900", regexes = {"[0-9]+"}, group = "Source")
  long getClicksMaxRecords();

  void setClicksMaxRecords(long clicksMaxRecords);

  @Description("Conversions with --source=kinesis: stop after this many records of the conversions stream; 0 = "
      + "--maxRecords.")
  @Default.Long(0)
  @TemplateParameter(label = "Conversion records to read", example = "150", regexes = {"[0-9]+"}, group = "Source")
  long getConversionsMaxRecords();

  void setConversionsMaxRecords(long conversionsMaxRecords);

  @Description(
      "The campaigns table: JSON lines (optionally compressed) or Parquet files, a path or glob on any Beam "
          + "filesystem, one row per campaign (campaign_id, advertiser, channel). Required with --source=file or "
          + "kinesis; with --source=synthetic the generator's own table is used unless this is set. A campaign "
          + "not in it still counts; its advertiser is null.")
  @TemplateParameter(
      path = true, label = "Campaigns table", example = "reference/campaigns.jsonl", group = "Reference data")
  String getCampaigns();

  void setCampaigns(String campaigns);

  @Description(
      "The customers table: JSON lines or Parquet files, one row per user (user_id, age_band, region, segment). "
          + "Required with --source=file or kinesis; with --source=synthetic the generator's own table is used "
          + "unless this is set. A user not in it counts in segment 'unknown' of audience_stats.")
  @TemplateParameter(
      path = true, label = "Customers table", example = "reference/customers.jsonl", group = "Reference data")
  String getCustomers();

  void setCustomers(String customers);

  @Description(
      "In streaming runs, how often the campaigns and customers tables are checked and, when their files "
          + "changed, reloaded without restarting; a bad reload keeps the last good table (logged, counted as "
          + "campaigns_reloads_failed or customers_reloads_failed).")
  @Default.String("10m")
  @TemplateParameter(label = "Reference refresh", example = "10m", regexes = {ValuePatterns.DURATION},
      group = "Reference data")
  String getReferenceRefresh();

  void setReferenceRefresh(String referenceRefresh);

  @Description("A click is attributed to its impression when impression time <= click time <= impression time + "
      + "this (and the users match); the earliest such click per impression wins (ties: the smallest click_id).")
  @Default.String("30m")
  @TemplateParameter(label = "Click window", example = "30m", regexes = {ValuePatterns.DURATION}, group = "Attribution")
  String getClickWindow();

  void setClickWindow(String clickWindow);

  @Description("A conversion is attributed to the user's latest attributed click with click time < conversion "
      + "time and conversion time - click time <= this (ties: the largest click_id).")
  @Default.String("24h")
  @TemplateParameter(label = "Attribution window", example = "24h", regexes = {ValuePatterns.DURATION},
      group = "Attribution")
  String getAttributionWindow();

  void setAttributionWindow(String attributionWindow);

  @Description("Synthetic: number of campaigns in the generated campaigns table.")
  @Default.Integer(8)
  @TemplateParameter(label = "Synthetic campaigns", example = "8", regexes = {"[1-9][0-9]*"})
  int getSyntheticCampaigns();

  void setSyntheticCampaigns(int syntheticCampaigns);

  @Description("Synthetic: number of users (customers) the ad events are spread over.")
  @Default.Integer(2000)
  @TemplateParameter(label = "Synthetic users", example = "2000", regexes = {"[1-9][0-9]*"})
  int getSyntheticUsers();

  void setSyntheticUsers(int syntheticUsers);

  @Description("Length of the fixed event-time windows of campaign_stats and audience_stats.")
  @Default.String("1h")
  @TemplateParameter(label = "Window size", example = "1h", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getWindowSize();

  void setWindowSize(String windowSize);

  // Its own, not DeduplicationOptions' (10m): ad events are de-duplicated across hour-long windows.
  @Description("Event-time horizon of de-duplication by id, per stream (impression_id, click_id, conversion_id): "
      + "later copies within it are dropped; the first copy wins. Its ids are held this long while streaming "
      + "(a re-sent record keeps its event time, so exact copies are caught by any horizon).")
  @Default.String("1h")
  @TemplateParameter(label = "De-duplication horizon", example = "1h", regexes = {ValuePatterns.DURATION},
      group = "Windows")
  String getDedupHorizon();

  void setDedupHorizon(String dedupHorizon);
}
