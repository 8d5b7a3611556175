package dev.millrace.benchmarks;

import dev.millrace.io.campaign.CampaignReferenceData;
import dev.millrace.model.reference.Campaign;
import dev.millrace.model.reference.CampaignTable;
import dev.millrace.model.reference.Customer;
import dev.millrace.model.reference.CustomerTable;
import dev.millrace.transforms.campaign.AdClick;
import dev.millrace.transforms.campaign.AttributedClick;
import dev.millrace.transforms.campaign.Attribution;
import dev.millrace.transforms.campaign.AudienceStats;
import dev.millrace.transforms.campaign.CampaignActivity;
import dev.millrace.transforms.campaign.CampaignStats;
import dev.millrace.transforms.campaign.CampaignStatsPerWindow;
import dev.millrace.transforms.campaign.CampaignTotals;
import dev.millrace.transforms.campaign.Conversion;
import dev.millrace.transforms.campaign.Impression;
import dev.millrace.transforms.campaign.OrphanClick;
import dev.millrace.transforms.parse.AdEventParsers;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * campaign-analytics' work as a plain single-threaded loop, no Beam runner, with the template's defaults:
 * the same three record parsers and the campaigns and customers tables; de-duplication by id per stream;
 * each click attributed to its impression when the users match and {@code impression time <= click time
 * <= impression time + 30m}, at most one per impression (the earliest, ties by click_id), every other
 * click an orphan with its reason (no_impression, user_mismatch, too_late, repeat_click); each conversion
 * to its user's last attributed click before it within 24h (ties: the largest click_id); and per fixed
 * 1-hour window each campaign's and each (campaign, segment)'s impressions, spend, clicks, conversions
 * and revenue ({@link CampaignTotals}, exact), written as Parquet with the template's schemas. Invalid
 * records are counted.
 *
 * <p>{@code java -cp ... dev.millrace.benchmarks.PlainJavaCampaignBaseline DIR OUTPUT}: DIR holds
 * impressions.jsonl, clicks.jsonl, conversions.jsonl, campaigns.jsonl and customers.jsonl, as {@code
 * millrace generate --template=campaign-analytics --dir=DIR} writes them.
 */
public final class PlainJavaCampaignBaseline {
  static final Duration CLICK_WINDOW = Duration.standardMinutes(30);
  static final Duration ATTRIBUTION_WINDOW = Duration.standardHours(24);
  static final long WINDOW_MILLIS = Duration.standardHours(1).getMillis();
  static final int MAX_RECORD_BYTES = 1024 * 1024;

  private PlainJavaCampaignBaseline() {}

  /** A fixed window's key: a campaign, and for the audience rows its segment (null for the campaign rows). */
  record WindowKey(String campaignId, @Nullable String segment, long start) {}

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    Path output = Paths.get(args[1]);
    long started = System.nanoTime();
    CampaignTable campaigns = CampaignReferenceData.loadCampaigns(dir.resolve("campaigns.jsonl").toString());
    CustomerTable customers = CampaignReferenceData.loadCustomers(dir.resolve("customers.jsonl").toString());

    Map<String, Impression> impressions = new HashMap<>();
    Map<String, List<AdClick>> clicksByImpression = new HashMap<>();
    List<Conversion> conversions = new ArrayList<>();
    List<SensorBaselineRules.Counts> counts = List.of(
        SensorBaselineRules.forEachUniqueRecord(dir.resolve("impressions.jsonl"),
            new AdEventParsers.ImpressionParser(MAX_RECORD_BYTES), i -> true, Impression::impressionId,
            i -> impressions.put(i.impressionId(), i)),
        SensorBaselineRules.forEachUniqueRecord(dir.resolve("clicks.jsonl"),
            new AdEventParsers.AdClickParser(MAX_RECORD_BYTES), c -> true, AdClick::clickId,
            c -> clicksByImpression.computeIfAbsent(c.impressionId(), id -> new ArrayList<>()).add(c)),
        SensorBaselineRules.forEachUniqueRecord(dir.resolve("conversions.jsonl"),
            new AdEventParsers.ConversionParser(MAX_RECORD_BYTES), c -> true, Conversion::conversionId,
            conversions::add));

    CampaignTotals.SumFn sum = new CampaignTotals.SumFn();
    Map<WindowKey, CampaignTotals> totals = new HashMap<>();
    for (Impression impression : impressions.values()) {
      add(totals, sum, customers, CampaignActivity.of(impression), impression.eventTime());
    }

    // Clicks, per impression: attributed (one at most) or orphaned.
    SchemaRegistry schemas = SchemaRegistry.createDefault();
    Map<String, List<AttributedClick>> attributedByUser = new HashMap<>();
    long orphanRows = 0;
    try (PlainJavaBaseline.Writer<OrphanClick> orphans = writer(schemas, OrphanClick.class, output, "orphans")) {
      for (Map.Entry<String, List<AdClick>> entry : clicksByImpression.entrySet()) {
        Impression impression = impressions.get(entry.getKey());
        List<AdClick> qualifying = new ArrayList<>();
        for (AdClick click : entry.getValue()) {
          String reason = impression == null ? OrphanClick.NO_IMPRESSION
              : !impression.userId().equals(click.userId()) ? OrphanClick.USER_MISMATCH
              : click.eventTime().isBefore(impression.eventTime())
                  || click.eventTime().isAfter(impression.eventTime().plus(CLICK_WINDOW)) ? OrphanClick.TOO_LATE
              : null;
          if (reason == null) {
            qualifying.add(click);
          } else {
            orphans.write(OrphanClick.of(click, reason, impression));
            orphanRows++;
          }
        }
        qualifying.sort(AdClick.EARLIEST_FIRST);
        for (int i = 0; i < qualifying.size(); i++) {
          AdClick click = qualifying.get(i);
          if (i == 0) {
            AttributedClick attributed = new AttributedClick(click, impression.campaignId());
            attributedByUser.computeIfAbsent(click.userId(), u -> new ArrayList<>()).add(attributed);
            add(totals, sum, customers, CampaignActivity.of(attributed), click.eventTime());
          } else {
            orphans.write(OrphanClick.of(click, OrphanClick.REPEAT_CLICK, impression));
            orphanRows++;
          }
        }
      }
    }

    // Conversions: each to its user's last attributed click before it, within the attribution window.
    try (PlainJavaBaseline.Writer<Attribution> attributions =
        writer(schemas, Attribution.class, output, "attributions")) {
      for (Conversion conversion : conversions) {
        Instant at = conversion.eventTime();
        Instant earliest = at.minus(ATTRIBUTION_WINDOW);
        AttributedClick last = null;
        for (AttributedClick click : attributedByUser.getOrDefault(conversion.userId(), List.of())) {
          Instant t = click.click().eventTime();
          if (t.isBefore(at) && !t.isBefore(earliest)
              && (last == null || AttributedClick.LATEST_LAST.compare(click, last) > 0)) {
            last = click;
          }
        }
        Attribution attribution = Attribution.of(conversion, last);
        attributions.write(attribution);
        if (attribution.attributed()) {
          // The template sums the row's value (the nearest double to the record's decimal), as here.
          add(totals, sum, customers, new CampaignActivity(attribution.getCampaignId(), attribution.getUserId(),
              0, 0, 0, 1, BigDecimal.valueOf(attribution.getOrderValue())), at);
        }
      }
    }

    long campaignRows = 0;
    long audienceRows = 0;
    try (PlainJavaBaseline.Writer<CampaignStats> campaignStats =
            writer(schemas, CampaignStats.class, output, "campaign_stats");
        PlainJavaBaseline.Writer<AudienceStats> audienceStats =
            writer(schemas, AudienceStats.class, output, "audience_stats")) {
      for (Map.Entry<WindowKey, CampaignTotals> entry : totals.entrySet()) {
        WindowKey key = entry.getKey();
        CampaignTotals t = sum.extractOutput(entry.getValue());
        Instant start = new Instant(key.start());
        Campaign campaign = campaigns.get(key.campaignId());
        String advertiser = campaign == null ? null : campaign.advertiser();
        if (key.segment() == null) {
          campaignStats.write(CampaignStats.builder().setCampaignId(key.campaignId())
              .setWindowStart(start).setWindowEnd(start.plus(WINDOW_MILLIS))
              .setImpressions(t.impressions()).setSpend(t.spend().doubleValue()).setClicks(t.clicks())
              .setConversions(t.conversions()).setRevenue(t.revenue().doubleValue())
              .setCtr(t.ctr()).setCvr(t.cvr()).setRoas(t.roas()).setAdvertiser(advertiser)
              .setPaneIndex(0).setPaneTiming("ON_TIME").build());
          campaignRows++;
        } else {
          audienceStats.write(AudienceStats.builder().setCampaignId(key.campaignId()).setSegment(key.segment())
              .setWindowStart(start).setWindowEnd(start.plus(WINDOW_MILLIS))
              .setImpressions(t.impressions()).setSpend(t.spend().doubleValue()).setClicks(t.clicks())
              .setConversions(t.conversions()).setRevenue(t.revenue().doubleValue())
              .setCtr(t.ctr()).setCvr(t.cvr()).setRoas(t.roas()).setAdvertiser(advertiser)
              .setPaneIndex(0).setPaneTiming("ON_TIME").build());
          audienceRows++;
        }
      }
    }
    long read = counts.stream().mapToLong(SensorBaselineRules.Counts::read).sum();
    long rejected = counts.stream().mapToLong(SensorBaselineRules.Counts::rejected).sum();
    long duplicates = counts.stream().mapToLong(SensorBaselineRules.Counts::duplicates).sum();
    System.out.printf("baseline: read %d, rejected %d, duplicates %d; attributions rows %d, orphans rows %d,"
            + " campaign_stats rows %d, audience_stats rows %d, DONE in %.1f s%n",
        read, rejected, duplicates, conversions.size(), orphanRows, campaignRows, audienceRows,
        (System.nanoTime() - started) / 1e9);
  }

  /** One activity into its campaign's window and its (campaign, segment)'s window. */
  static void add(Map<WindowKey, CampaignTotals> totals, CampaignTotals.SumFn sum, CustomerTable customers,
      CampaignActivity activity, Instant at) {
    long start = at.getMillis() - Math.floorMod(at.getMillis(), WINDOW_MILLIS);
    Customer customer = customers.get(activity.userId());
    String segment = customer == null ? CampaignStatsPerWindow.UNKNOWN_SEGMENT : customer.segment();
    for (WindowKey key : List.of(new WindowKey(activity.campaignId(), null, start),
        new WindowKey(activity.campaignId(), segment, start))) {
      totals.put(key, sum.addInput(totals.computeIfAbsent(key, k -> sum.createAccumulator()), activity));
    }
  }

  static <T> PlainJavaBaseline.Writer<T> writer(SchemaRegistry schemas, Class<T> type, Path output, String dataset)
      throws Exception {
    Files.createDirectories(output.resolve(dataset));
    return new PlainJavaBaseline.Writer<>(schemas, type, dataset, output.resolve(dataset + "/" + dataset + ".parquet"));
  }
}
