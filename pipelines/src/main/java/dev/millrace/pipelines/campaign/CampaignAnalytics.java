package dev.millrace.pipelines.campaign;

import dev.millrace.io.campaign.CampaignReferenceData;
import dev.millrace.io.deadletter.DeadLetterIO;
import dev.millrace.io.files.JsonLinesIO;
import dev.millrace.io.parquet.FlushWindows;
import dev.millrace.io.parquet.PartitionedParquetIO;
import dev.millrace.io.parquet.Partitioning;
import dev.millrace.io.reference.ReferenceDataIO;
import dev.millrace.io.synthetic.AdEventsGenerator;
import dev.millrace.io.synthetic.SyntheticAdEventsConfig;
import dev.millrace.io.synthetic.SyntheticAdEventsIO;
import dev.millrace.model.RawRecord;
import dev.millrace.model.reference.CampaignTable;
import dev.millrace.model.reference.CustomerTable;
import dev.millrace.pipelines.options.Durations;
import dev.millrace.pipelines.options.KinesisSources;
import dev.millrace.pipelines.options.OptionChecks;
import dev.millrace.pipelines.options.Problem;
import dev.millrace.pipelines.options.RecordSources;
import dev.millrace.pipelines.options.TemplateWindowing;
import dev.millrace.transforms.campaign.AdClick;
import dev.millrace.transforms.campaign.AttributeClicks;
import dev.millrace.transforms.campaign.AttributeClicksAndConversions;
import dev.millrace.transforms.campaign.AttributedClick;
import dev.millrace.transforms.campaign.Attribution;
import dev.millrace.transforms.campaign.AudienceStats;
import dev.millrace.transforms.campaign.CampaignActivity;
import dev.millrace.transforms.campaign.CampaignStats;
import dev.millrace.transforms.campaign.CampaignStatsPerWindow;
import dev.millrace.transforms.campaign.Conversion;
import dev.millrace.transforms.campaign.Impression;
import dev.millrace.transforms.campaign.OrphanClick;
import dev.millrace.transforms.dedup.DeduplicateById;
import dev.millrace.transforms.metrics.CountRecords;
import dev.millrace.transforms.parse.ParseRecords;
import dev.millrace.transforms.runners.RunnerCapabilities;
import dev.millrace.transforms.window.Windowing;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;

/**
 * campaign-analytics: ad impressions, clicks and conversions, each from its own input (synthetic, JSON
 * lines or a Kinesis stream), are parsed and validated and de-duplicated by id per stream; clicks are
 * joined with their impressions and conversions with the user's last attributed click, in event time
 * ({@link AttributeClicksAndConversions}: on Spark streaming one step on watermark ticks); and per
 * fixed event-time window each campaign's and each (campaign, audience segment)'s impressions, spend,
 * clicks, conversions and revenue are summed ({@link CampaignStatsPerWindow}, with the campaigns and
 * customers tables).
 *
 * <pre>
 *   ReadImpressions -> ParseImpressions -> DeduplicateImpressions --------------+----------------------------+
 *   ReadClicks -> ParseClicks -> DeduplicateClicks -> AttributeClicks (orphans) -+-> AttributeConversions -+  |
 *   ReadConversions -> ParseConversions -> DeduplicateConversions ---------------^   (attributions)       |  |
 *                                  ToActivity (impressions, attributed clicks, attributed conversions) <---+--+
 *                                  -> CampaignStatsPerWindow -> campaign_stats, audience_stats
 * </pre>
 * (The two joins are the step {@code Attribute}.)
 */
public final class CampaignAnalytics {
  public static final String NAME = "campaign-analytics";
  public static final String ATTRIBUTIONS = "attributions";
  public static final String CAMPAIGN_STATS = "campaign_stats";
  public static final String AUDIENCE_STATS = "audience_stats";
  public static final String ORPHANS = "orphans";
  /** The three inputs, in the order of the accounting. */
  public static final List<String> STREAMS =
      List.of(AdEventsGenerator.IMPRESSIONS, AdEventsGenerator.CLICKS, AdEventsGenerator.CONVERSIONS);
  public static final String READ = ".records_read";
  public static final String PARSED = ".records_parsed";
  public static final String UNIQUE = ".unique_records";

  private CampaignAnalytics() {}

  /** Checks every option; one {@link IllegalArgumentException} with one line per problem. */
  public static void validate(CampaignAnalyticsOptions options) {
    List<Problem> problems = new ArrayList<>();
    String source = options.getSource();
    if (!"synthetic".equals(source) && !"file".equals(source) && !"kinesis".equals(source)) {
      problems.add(new Problem("--source", "must be synthetic, file or kinesis, but was '" + source + "'"));
    }
    if (options.getInput() != null) {
      problems.add(new Problem("--input", "campaign-analytics reads three inputs: use --impressions, --clicks and --conversions"));
    }
    if (options.getStream() != null) {
      problems.add(new Problem("--stream", "campaign-analytics reads three streams: use --impressionsStream, --clicksStream and "
          + "--conversionsStream"));
    }
    String[] files = {options.getImpressions(), options.getClicks(), options.getConversions()};
    String[] streams = {options.getImpressionsStream(), options.getClicksStream(), options.getConversionsStream()};
    long[] maxRecords = maxRecordsPerStream(options);
    for (int i = 0; i < STREAMS.size(); i++) {
      String name = STREAMS.get(i);
      String fileOption = "--" + name;
      String streamOption = "--" + name + "Stream";
      if ("file".equals(source)) {
        if (files[i] == null || files[i].isBlank()) {
          problems.add(new Problem(fileOption, "required with --source=file (a path or glob of JSON-lines " + name + " files)"));
        } else {
          OptionChecks.checkMatches(options, fileOption, files[i], problems);
        }
      } else if (files[i] != null) {
        problems.add(new Problem(fileOption, "conflicts with --source=" + source + " (files are read with --source=file)"));
      }
      if ("kinesis".equals(source)) {
        if (streams[i] == null || streams[i].isBlank()) {
          problems.add(new Problem(streamOption, "required with --source=kinesis (the Kinesis stream of " + name + ")"));
        }
      } else if (streams[i] != null) {
        problems.add(new Problem(streamOption, "conflicts with --source=" + source + " (a stream is read with --source=kinesis)"));
      }
      String maxOption = "--" + name + "MaxRecords";
      if (maxRecords[i] < 0) {
        problems.add(new Problem(maxOption, "must be >= 0 (0 means --maxRecords), but was " + maxRecords[i]));
      } else if (maxRecords[i] > 0 && !"kinesis".equals(source)) {
        problems.add(new Problem(maxOption, "conflicts with --source=" + source + " (it bounds a Kinesis read)"));
      }
    }
    if ("kinesis".equals(source)) {
      KinesisSources.checkSettings(options, problems);
    } else {
      if (options.getMaxRecords() > 0) {
        problems.add(new Problem("--maxRecords", "conflicts with --source=" + source + " (it bounds a Kinesis read)"));
      }
      if (options.getMaxReadTime() != null && !options.getMaxReadTime().isBlank()) {
        problems.add(new Problem("--maxReadTime", "conflicts with --source=" + source + " (it bounds a Kinesis read)"));
      }
    }
    OptionChecks.checkReferenceFiles(options, "--campaigns", options.getCampaigns(), source,
        "JSON lines or Parquet campaigns table", problems);
    OptionChecks.checkReferenceFiles(options, "--customers", options.getCustomers(), source,
        "JSON lines or Parquet customers table", problems);
    OptionChecks.checkRefresh("--referenceRefresh", options.getReferenceRefresh(), problems);
    OptionChecks.checkDuration("--clickWindow", options.getClickWindow(), false, problems);
    OptionChecks.checkDuration("--attributionWindow", options.getAttributionWindow(), false, problems);
    OptionChecks.checkDuration("--windowSize", options.getWindowSize(), true, problems);
    OptionChecks.checkWindowing(options, problems);
    OptionChecks.checkDuration("--dedupHorizon", options.getDedupHorizon(), true, problems);
    RecordSources.checkSynthetic(source, options, () -> syntheticConfig(options), problems);
    OptionChecks.checkOutput(options, problems);
    Problem.throwIfAny(problems);
  }

  public static Pipeline build(CampaignAnalyticsOptions options) {
    validate(options);
    Pipeline pipeline = Pipeline.create(options);
    PCollection<RawRecord> impressions = pipeline.apply("ReadImpressions", source(options, 0));
    PCollection<RawRecord> clicks = pipeline.apply("ReadClicks", source(options, 1));
    PCollection<RawRecord> conversions = pipeline.apply("ReadConversions", source(options, 2));
    // Reference tables reload while the streams run on; when every stream has an end they load once
    // (a reload never ends, and the job must end with its input).
    boolean streaming = RecordSources.reloadsReferenceData(impressions) && !everyStreamEnds(options);
    PCollectionView<Iterable<CampaignTable>> campaigns =
        pipeline.apply("ReadCampaigns", campaigns(options, streaming)).apply("CampaignsAsSideInput", View.asIterable());
    PCollectionView<Iterable<CustomerTable>> customers =
        pipeline.apply("ReadCustomers", customers(options, streaming)).apply("CustomersAsSideInput", View.asIterable());
    expand(impressions, clicks, conversions, campaigns, customers, options);
    return pipeline;
  }

  public static PipelineResult run(CampaignAnalyticsOptions options) {
    return build(options).run();
  }

  /** Every step after the sources: the seam through which tests feed in-memory records and tables. */
  public static PCollection<Attribution> expand(
      PCollection<RawRecord> impressionRecords, PCollection<RawRecord> clickRecords,
      PCollection<RawRecord> conversionRecords, PCollectionView<Iterable<CampaignTable>> campaigns,
      PCollectionView<Iterable<CustomerTable>> customers, CampaignAnalyticsOptions options) {
    String output = options.getOutput();
    Pipeline pipeline = impressionRecords.getPipeline();
    ErrorHandler<BadRecord, ?> deadLetters =
        pipeline.registerBadRecordErrorHandler(DeadLetterIO.write().to(output).withNumShards(options.getNumShards()));
    int maxBytes = options.getMaxRecordBytes();
    Duration horizon = Durations.dedupRetention(options.getDedupHorizon(), options.getWindowSize(), options.getAllowedLateness());
    Duration lateness = Durations.parse(options.getAllowedLateness());

    PCollection<Impression> impressions =
        validUnique(impressionRecords, AdEventsGenerator.IMPRESSIONS, "Impressions",
            ParseRecords.impressions(maxBytes).withBadRecordErrorHandler(deadLetters),
            DeduplicateById.of(Impression::impressionId).withHorizon(horizon));
    PCollection<AdClick> clicks =
        validUnique(clickRecords, AdEventsGenerator.CLICKS, "Clicks",
            ParseRecords.adClicks(maxBytes).withBadRecordErrorHandler(deadLetters),
            DeduplicateById.of(AdClick::clickId).withHorizon(horizon));
    PCollection<Conversion> conversions =
        validUnique(conversionRecords, AdEventsGenerator.CONVERSIONS, "Conversions",
            ParseRecords.conversions(maxBytes).withBadRecordErrorHandler(deadLetters),
            DeduplicateById.of(Conversion::conversionId).withHorizon(horizon));

    PCollectionTuple joined =
        conversions.apply("Attribute",
            AttributeClicksAndConversions.of(impressions, clicks)
                .withClickWindow(Durations.parse(options.getClickWindow()))
                .withAttributionWindow(Durations.parse(options.getAttributionWindow()))
                .withAllowedLateness(lateness)
                .withGroupsStampedAtWindowEnd(runsAsBatchSortingGroupsAtWindowEnd(options,
                    Arrays.asList(impressionRecords, clickRecords, conversionRecords, campaigns.getPCollection(),
                        customers.getPCollection()))));
    PCollection<AttributedClick> attributedClicks = joined.get(AttributeClicks.ATTRIBUTED);
    PCollection<Attribution> attributions = joined.get(AttributeClicksAndConversions.ATTRIBUTIONS);

    attributions
        .apply("WindowAttributionsByFlush",
            FlushWindows.<Attribution>every(Duration.standardSeconds(10), attributions.isBounded()))
        .apply("WriteAttributions",
            PartitionedParquetIO.<Attribution>write().to(output).withDataset(ATTRIBUTIONS)
                .withPartitioning(Partitioning.byHour("event_time")).withNumShards(options.getNumShards()));
    PCollection<OrphanClick> orphans = joined.get(AttributeClicks.ORPHANS);
    orphans
        .apply("WindowOrphansByFlush", FlushWindows.<OrphanClick>every(Duration.standardSeconds(10), orphans.isBounded()))
        .apply("WriteOrphans",
            PartitionedParquetIO.<OrphanClick>write().to(output).withDataset(ORPHANS)
                .withPartitioning(Partitioning.byHour("event_time")).withNumShards(options.getNumShards()));

    TypeDescriptor<CampaignActivity> activityType = TypeDescriptor.of(CampaignActivity.class);
    PCollection<CampaignActivity> activity =
        PCollectionList
            .of(impressions.apply("ImpressionActivity", MapElements.into(activityType).via(CampaignActivity::of))
                .setCoder(CampaignStatsPerWindow.ActivityCoder.of()))
            .and(attributedClicks.apply("ClickActivity", MapElements.into(activityType).via(CampaignActivity::of))
                .setCoder(CampaignStatsPerWindow.ActivityCoder.of()))
            .and(attributions.apply("ConversionActivity", ParDo.of(new ConversionActivityFn()))
                .setCoder(CampaignStatsPerWindow.ActivityCoder.of()))
            .apply("AllActivity", Flatten.pCollections());
    PCollectionTuple stats =
        activity.apply("CampaignStatsPerWindow",
            CampaignStatsPerWindow.of(
                TemplateWindowing.of(Windowing.fixed(Durations.parse(options.getWindowSize())), options),
                campaigns, customers));
    stats.get(CampaignStatsPerWindow.CAMPAIGN_STATS)
        .apply("WriteCampaignStats",
            PartitionedParquetIO.<CampaignStats>write().to(output).withDataset(CAMPAIGN_STATS)
                .withPartitioning(Partitioning.byHour("window_start")).withNumShards(options.getNumShards()));
    stats.get(CampaignStatsPerWindow.AUDIENCE_STATS)
        .apply("WriteAudienceStats",
            PartitionedParquetIO.<AudienceStats>write().to(output).withDataset(AUDIENCE_STATS)
                .withPartitioning(Partitioning.byHour("window_start")).withNumShards(options.getNumShards()));
    try {
      deadLetters.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not close the dead-letter handler", e);
    }
    return attributions;
  }

  /** One stream's records: counted as read, parsed (invalid ones to the dead letters), counted, de-duplicated, counted. */
  private static <T> PCollection<T> validUnique(PCollection<RawRecord> records, String stream, String label,
      ParseRecords<T> parse, DeduplicateById<T> dedup) {
    return records
        .apply("Count" + label + "Read", CountRecords.as(stream + READ))
        .apply("Parse" + label, parse)
        .apply("Count" + label + "Parsed", CountRecords.as(stream + PARSED))
        .apply("Deduplicate" + label, dedup)
        .apply("Count" + label + "Unique", CountRecords.as(stream + UNIQUE));
  }

  /** An attributed conversion's value, for its campaign; unattributed ones add to no campaign. */
  static final class ConversionActivityFn extends DoFn<Attribution, CampaignActivity> {
    @ProcessElement
    public void process(@Element Attribution a, OutputReceiver<CampaignActivity> out) {
      if (a.attributed()) {
        // The row's double is the nearest to the record's decimal; its shortest form is that decimal
        // for any value of up to 15 significant digits.
        out.output(new CampaignActivity(a.getCampaignId(), a.getUserId(), 0, 0, 0, 1,
            BigDecimal.valueOf(a.getOrderValue())));
      }
    }
  }

  /**
   * Whether the job, reading these inputs, runs as a batch job whose runner sorts a group stamped at
   * the end of its window once (Flink's batch mode: {@link
   * RunnerCapabilities#sortsGroupsStampedAtWindowEnd}). The runner's own rule needs every collection
   * bounded, and every one here comes from these inputs.
   */
  static boolean runsAsBatchSortingGroupsAtWindowEnd(PipelineOptions options, List<PCollection<?>> inputs) {
    return RunnerCapabilities.sortsGroupsStampedAtWindowEnd(options)
        && inputs.stream().allMatch(input -> input != null && input.isBounded() == PCollection.IsBounded.BOUNDED);
  }

  /** Whether every Kinesis read has a count of records to stop after: its own, else --maxRecords. */
  public static boolean everyStreamEnds(CampaignAnalyticsOptions options) {
    return options.getMaxRecords() > 0 || Arrays.stream(maxRecordsPerStream(options)).allMatch(max -> max > 0);
  }

  /** --impressionsMaxRecords, --clicksMaxRecords, --conversionsMaxRecords, in the order of {@link #STREAMS}. */
  public static long[] maxRecordsPerStream(CampaignAnalyticsOptions options) {
    return new long[] {options.getImpressionsMaxRecords(), options.getClicksMaxRecords(),
        options.getConversionsMaxRecords()};
  }

  static PTransform<PBegin, PCollection<RawRecord>> source(CampaignAnalyticsOptions options, int stream) {
    String name = STREAMS.get(stream);
    if ("file".equals(options.getSource())) {
      String[] files = {options.getImpressions(), options.getClicks(), options.getConversions()};
      return JsonLinesIO.read().from(files[stream]);
    }
    if ("kinesis".equals(options.getSource())) {
      String[] streams = {options.getImpressionsStream(), options.getClicksStream(), options.getConversionsStream()};
      long max = maxRecordsPerStream(options)[stream];
      return KinesisSources.read(options, streams[stream], max > 0 ? max : options.getMaxRecords());
    }
    return SyntheticAdEventsIO.read(syntheticConfig(options), options.getMaxEvents(), name);
  }

  static ReferenceDataIO<CampaignTable> campaigns(CampaignAnalyticsOptions options, boolean streaming) {
    String files = options.getCampaigns();
    ReferenceDataIO<CampaignTable> read;
    if (files == null || files.isBlank()) {
      SyntheticAdEventsConfig config = syntheticConfig(options);
      read = CampaignReferenceData.campaigns(() -> new AdEventsGenerator(config).campaigns(),
          "synthetic (" + config.campaigns() + " campaigns)");
    } else {
      read = CampaignReferenceData.campaigns(files);
    }
    return streaming ? read.withRefresh(Durations.parse(options.getReferenceRefresh())) : read;
  }

  static ReferenceDataIO<CustomerTable> customers(CampaignAnalyticsOptions options, boolean streaming) {
    String files = options.getCustomers();
    ReferenceDataIO<CustomerTable> read;
    if (files == null || files.isBlank()) {
      SyntheticAdEventsConfig config = syntheticConfig(options);
      read = CampaignReferenceData.customers(() -> new AdEventsGenerator(config).customers(),
          "synthetic (" + config.users() + " users)");
    } else {
      read = CampaignReferenceData.customers(files);
    }
    return streaming ? read.withRefresh(Durations.parse(options.getReferenceRefresh())) : read;
  }

  /** The synthetic source's configuration (also used to write synthetic files). */
  public static SyntheticAdEventsConfig syntheticConfig(CampaignAnalyticsOptions options) {
    SyntheticAdEventsConfig config = SyntheticAdEventsConfig.defaults();
    try {
      return config.withSeed(options.getSeed()).withEventsPerSecond(options.getRate())
          .withCampaigns(options.getSyntheticCampaigns())
          .withUsers(options.getSyntheticUsers())
          .withStartTime(RecordSources.startTime(options, config.startTime()))
          .withDuplicateFraction(options.getDuplicateFraction())
          .withMalformedFraction(options.getMalformedFraction());
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith("--") ? e : RecordSources.asOptionProblem(e);
    }
  }
}
