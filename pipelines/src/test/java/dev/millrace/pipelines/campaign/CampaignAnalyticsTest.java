package dev.millrace.pipelines.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.synthetic.AdEventsGenerator;
import dev.millrace.io.synthetic.SyntheticAdEventsConfig;
import dev.millrace.pipelines.summary.RunSummary;
import dev.millrace.testing.TemplateRuns;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * campaign-analytics over our own data set (three synthetic streams with orphans, repeats, late and
 * early clicks, duplicates and malformed records, plus crafted records on every boundary of the issue's
 * rules) against an independent computation written here in plain Java, straight from issue #18:
 * its own validation, the joins as nested loops over whole tables, windows by floor division.
 */
class CampaignAnalyticsTest {
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  static final long MINUTE = 60_000;
  static final long HOUR = 60 * MINUTE;

  @TempDir static Path dir;
  static Map<String, List<String>> lines;
  static Oracle expected;
  static RunSummary summary;
  static Path out;

  /**
   * The data set: 6,000 positions at 1/s (1 h 40 m of event time, two hourly windows and a part) and the
   * crafted records. (12,000 at 2/s took 39 s of the unit tier for no rule the smaller set leaves out.)
   */
  static Map<String, List<String>> writeDataSet(Path dir) throws Exception {
    AdEventsGenerator generator = new AdEventsGenerator(SyntheticAdEventsConfig.defaults()
        .withSeed(11).withEventsPerSecond(1).withUsers(300).withCampaigns(5)
        .withDuplicateFraction(0.02).withMalformedFraction(0.02));
    Map<String, List<String>> streams = new LinkedHashMap<>();
    for (String stream : CampaignAnalytics.STREAMS) {
      List<String> records = new ArrayList<>();
      for (long n = 0; n < 6_000; n++) {
        records.addAll(generator.recordsOf(n, stream));
      }
      streams.put(stream, records);
    }
    List<String> imps = streams.get("impressions");
    List<String> clicks = streams.get("clicks");
    List<String> convs = streams.get("conversions");
    // Edge cases on the boundaries, all of user edge-u (a customer, segment 'edge') and campaign camp-edge.
    imps.add(imp("e-i1", "2026-01-01T03:00:00Z", "camp-edge", "edge-u", 1_000_001));
    clicks.add(click("e-c1", "2026-01-01T03:30:00Z", "e-i1", "edge-u")); // exactly +30m: attributed
    imps.add(imp("e-i2", "2026-01-01T03:00:00Z", "camp-edge", "edge-u", 7));
    clicks.add(click("e-c2", "2026-01-01T03:30:00.001Z", "e-i2", "edge-u")); // +30m 1ms: too_late
    imps.add(imp("e-i3", "2026-01-01T03:10:00Z", "camp-edge", "edge-u", 0));
    clicks.add(click("e-c3", "2026-01-01T03:09:59.999Z", "e-i3", "edge-u")); // before it: too_late
    clicks.add(click("e-c4b", "2026-01-01T03:10:00Z", "e-i3", "edge-u")); // at it: a tie with e-c4a
    clicks.add(click("e-c4a", "2026-01-01T03:10:00Z", "e-i3", "edge-u")); // the smaller id wins
    clicks.add(click("e-c5", "2026-01-01T03:45:00Z", "e-i3", "other-u")); // user first, then time
    clicks.add(click("e-c6", "2026-01-01T03:11:00Z", "e-nothing", "edge-u")); // no_impression
    clicks.add(click("e-c7", "2026-01-01T01:00:00Z", "e-i1", "edge-u")); // 2h before it: too_late, not no_impression
    clicks.add(click("e-c6", "2026-01-01T03:11:00Z", "e-nothing", "edge-u")); // its duplicate
    // Conversions: at the click's own time (not after it: the click at 03:10 does not count), exactly 24h
    // after the last click (03:30 + 24h), 1 ms more (unattributed), and two copies of one.
    convs.add(conv("e-v1", "2026-01-01T03:10:00Z", "edge-u", "10.10"));
    convs.add(conv("e-v2", "2026-01-02T03:30:00Z", "edge-u", "20.20"));
    convs.add(conv("e-v3", "2026-01-02T03:30:00.001Z", "edge-u", "30.30"));
    convs.add(conv("e-v4", "2026-01-01T03:31:00Z", "edge-u", "0"));
    convs.add(conv("e-v4", "2026-01-01T03:31:00Z", "edge-u", "0"));
    // Money: many digits and a value that is exact only as a decimal.
    convs.add(conv("e-v5", "2026-01-01T03:40:00Z", "edge-u", "0.1"));
    convs.add(conv("e-v6", "2026-01-01T03:40:01Z", "edge-u", "1234567.89"));
    // Invalid ones, one per rule.
    imps.add(imp("e-bad1", "2026-01-01T03:00:00Z", "camp-edge", "edge-u", -1)); // negative
    imps.add("{\"impression_id\":\"e-bad2\",\"event_time\":\"2026-01-01T03:00:00Z\",\"campaign_id\":\"c\","
        + "\"user_id\":\"edge-u\",\"placement\":\"feed\",\"cost_micros\":1000.0}"); // not an integer
    imps.add("{\"impression_id\":\"e-bad3\",\"event_time\":\"2026-01-01T03:00:00Z\",\"campaign_id\":\"c\","
        + "\"user_id\":\"edge-u\",\"placement\":\"\",\"cost_micros\":1}"); // empty placement
    clicks.add(click("e-bad4", "2026-01-01 03:00:00", "e-i1", "edge-u")); // no offset
    clicks.add(click("e-bad5", "2026-01-01T03:40:00Z", "e-bad1", "edge-u")); // its impression is a dead letter
    convs.add("{\"conversion_id\":\"e-bad6\",\"event_time\":\"2026-01-01T03:00:00Z\",\"user_id\":\"edge-u\","
        + "\"order_value\":\"12\"}"); // a string
    convs.add(conv("e-bad7", "2026-01-01T03:00:00Z", "edge-u", "-0.01"));
    convs.add("{\"conversion_id\":\"e-bad8\",\"event_time\":\"2026-01-01T03:00:00Z\",\"user_id\":\"edge-u\"}");
    convs.add("[]");
    convs.add("");
    for (Map.Entry<String, List<String>> e : streams.entrySet()) {
      Files.write(dir.resolve(e.getKey() + ".jsonl"), e.getValue(), StandardCharsets.UTF_8);
    }
    List<String> campaigns = new ArrayList<>(generator.campaignsJsonLines());
    campaigns.add("{\"campaign_id\":\"camp-edge\",\"advertiser\":\"edge-adv\",\"channel\":\"search\"}");
    Files.write(dir.resolve("campaigns.jsonl"), campaigns, StandardCharsets.UTF_8);
    List<String> customers = new ArrayList<>(generator.customersJsonLines());
    customers.add("{\"user_id\":\"edge-u\",\"age_band\":\"25-34\",\"region\":\"north\",\"segment\":\"edge\"}");
    Files.write(dir.resolve("customers.jsonl"), customers, StandardCharsets.UTF_8);
    return streams;
  }

  static String imp(String id, String time, String campaign, String user, long cost) {
    return String.format("{\"impression_id\":\"%s\",\"event_time\":\"%s\",\"campaign_id\":\"%s\",\"user_id\":\"%s\","
        + "\"placement\":\"feed\",\"cost_micros\":%d}", id, time, campaign, user, cost);
  }

  static String click(String id, String time, String impression, String user) {
    return String.format("{\"click_id\":\"%s\",\"event_time\":\"%s\",\"impression_id\":\"%s\",\"user_id\":\"%s\"}",
        id, time, impression, user);
  }

  static String conv(String id, String time, String user, String value) {
    return String.format("{\"conversion_id\":\"%s\",\"event_time\":\"%s\",\"user_id\":\"%s\",\"order_value\":%s}",
        id, time, user, value);
  }

  @BeforeAll
  static void runOnce() throws Exception {
    lines = writeDataSet(dir);
    out = dir.resolve("out");
    CampaignAnalyticsOptions options = PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
        "--source=file", "--impressions=" + dir.resolve("impressions.jsonl"), "--clicks=" + dir.resolve("clicks.jsonl"),
        "--conversions=" + dir.resolve("conversions.jsonl"), "--campaigns=" + dir.resolve("campaigns.jsonl"),
        "--customers=" + dir.resolve("customers.jsonl"), "--output=" + out)).as(CampaignAnalyticsOptions.class);
    PipelineResult result = CampaignAnalytics.run(options);
    result.waitUntilFinish();
    summary = RunSummary.of(result);
    expected = new Oracle(lines, Files.readAllLines(dir.resolve("campaigns.jsonl")),
        Files.readAllLines(dir.resolve("customers.jsonl")));
  }

  @Test
  void everyRecordIsAccountedForPerStream() throws Exception {
    assertThat(summary.balances()).as(summary.format("campaign run")).isTrue();
    long total = lines.values().stream().mapToLong(List::size).sum();
    assertThat(summary.read()).isEqualTo(total);
    for (String stream : CampaignAnalytics.STREAMS) {
      assertThat(summary.get(stream + CampaignAnalytics.READ)).as(stream).isEqualTo(lines.get(stream).size());
      assertThat(summary.get(stream + CampaignAnalytics.READ) - summary.get(stream + CampaignAnalytics.PARSED))
          .as(stream + " dead letters").isEqualTo(expected.invalid.get(stream)).isPositive();
      assertThat(summary.get(stream + CampaignAnalytics.PARSED) - summary.get(stream + CampaignAnalytics.UNIQUE))
          .as(stream + " duplicates").isEqualTo(expected.duplicates.get(stream)).isPositive();
    }
    assertThat(LocalParquetFiles.readAll(out.resolve("dead_letter")))
        .hasSize((int) expected.invalid.values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void clicksAreAttributedOrOrphanedExactly() throws Exception {
    Map<String, String> orphans = new TreeMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(out.resolve("orphans"))) {
      assertThat(orphans.put(r.get("click_id").toString(), r.get("reason").toString())).isNull();
    }
    assertThat(orphans).isEqualTo(expected.orphans);
    assertThat(orphans.values()).contains("no_impression", "user_mismatch", "too_late", "repeat_click");
    assertThat(orphans).containsEntry("e-c2", "too_late").containsEntry("e-c3", "too_late")
        .containsEntry("e-c4b", "repeat_click").containsEntry("e-c5", "user_mismatch")
        .containsEntry("e-c6", "no_impression").containsEntry("e-bad5", "no_impression")
        .containsEntry("e-c7", "too_late")
        .doesNotContainKeys("e-c1", "e-c4a");
    assertThat(summary.get("clicks_attributed")).isEqualTo(expected.attributedClicks.size());
  }

  @Test
  void conversionsAreAttributedToTheLastClickExactly() throws Exception {
    Map<String, String> attributions = new TreeMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(out.resolve("attributions"))) {
      String id = r.get("conversion_id").toString();
      String row = r.get("user_id") + "|" + millis(r.get("event_time")) + "|"
          + new BigDecimal(r.get("order_value").toString()).stripTrailingZeros().toPlainString() + "|"
          + r.get("click_id") + "|" + r.get("impression_id") + "|" + r.get("campaign_id");
      assertThat(attributions.put(id, row)).as("one row per conversion: " + id).isNull();
    }
    assertThat(attributions).isEqualTo(expected.attributions);
    assertThat(attributions.get("e-v1")).endsWith("|null|null|null");
    assertThat(attributions.get("e-v2")).endsWith("|e-c1|e-i1|camp-edge");
    assertThat(attributions.get("e-v3")).endsWith("|null|null|null");
    assertThat(attributions.get("e-v4")).endsWith("|e-c1|e-i1|camp-edge");
    long attributed = attributions.values().stream().filter(a -> !a.endsWith("|null")).count();
    assertThat(attributed).as("the data set attributes many conversions").isGreaterThan(50);
    assertThat(attributions.size() - attributed).as("and leaves some unattributed").isGreaterThan(10);
  }

  @Test
  void campaignAndAudienceStatsAreExact() throws Exception {
    compareStats(LocalParquetFiles.readAll(out.resolve("campaign_stats")), expected.campaignStats, false);
    compareStats(LocalParquetFiles.readAll(out.resolve("audience_stats")), expected.audienceStats, true);
    assertThat(expected.audienceStats.keySet()).anyMatch(k -> k.contains("|unknown|"));
    assertThat(expected.campaignStats.keySet()).anyMatch(k -> k.startsWith("camp-999|"));
  }

  static void compareStats(List<GenericRecord> rows, Map<String, Totals> expected, boolean bySegment) {
    Map<String, GenericRecord> byKey = new TreeMap<>();
    for (GenericRecord r : rows) {
      String key = r.get("campaign_id") + "|" + (bySegment ? r.get("segment") + "|" : "") + millis(r.get("window_start"));
      assertThat(byKey.put(key, r)).as("one row per key and window: " + key).isNull();
    }
    assertThat(byKey.keySet()).isEqualTo(expected.keySet());
    for (Map.Entry<String, Totals> e : expected.entrySet()) {
      GenericRecord r = byKey.get(e.getKey());
      Totals t = e.getValue();
      String key = e.getKey();
      assertThat(millis(r.get("window_end")) - millis(r.get("window_start"))).isEqualTo(HOUR);
      assertThat((long) r.get("impressions")).as(key).isEqualTo(t.impressions);
      assertThat((long) r.get("clicks")).as(key).isEqualTo(t.clicks);
      assertThat((long) r.get("conversions")).as(key).isEqualTo(t.conversions);
      BigDecimal spend = new BigDecimal(t.costMicros).movePointLeft(6);
      assertThat((double) r.get("spend")).as(key + " spend").isEqualTo(spend.doubleValue());
      assertThat((double) r.get("revenue")).as(key + " revenue").isEqualTo(t.revenue.doubleValue());
      ratio(r, "ctr", t.impressions == 0 ? null : (double) t.clicks / t.impressions);
      ratio(r, "cvr", t.clicks == 0 ? null : (double) t.conversions / t.clicks);
      ratio(r, "roas", t.costMicros == 0 ? null : t.revenue.divide(spend, MathContext.DECIMAL64).doubleValue());
      Object advertiser = r.get("advertiser");
      assertThat(advertiser == null ? null : advertiser.toString()).as(key).isEqualTo(t.advertiser);
    }
  }

  static void ratio(GenericRecord r, String field, Double expected) {
    Object actual = r.get(field);
    if (expected == null) {
      assertThat(actual).as(field).isNull();
      return;
    }
    assertThat(Math.abs((double) actual - expected)).as(field + " " + actual + " vs " + expected)
        .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(expected)));
  }

  static long millis(Object value) {
    return value instanceof Long l ? l : ((org.joda.time.ReadableInstant) value).getMillis();
  }

  static final class Totals {
    long impressions;
    long costMicros;
    long clicks;
    long conversions;
    BigDecimal revenue = BigDecimal.ZERO;
    String advertiser;
  }

  /** Issue #18's contract and rules, computed over whole tables without any pipeline code. */
  static final class Oracle {
    final Map<String, Long> invalid = new HashMap<>();
    final Map<String, Long> duplicates = new HashMap<>();
    final Map<String, String> orphans = new TreeMap<>();
    final Map<String, JsonNode> attributedClicks = new HashMap<>();
    final Map<String, String> attributions = new TreeMap<>();
    final Map<String, Totals> campaignStats = new TreeMap<>();
    final Map<String, Totals> audienceStats = new TreeMap<>();

    Oracle(Map<String, List<String>> lines, List<String> campaignLines, List<String> customerLines) throws Exception {
      Map<String, String> advertisers = new HashMap<>();
      for (String line : campaignLines) {
        JsonNode c = JSON.readTree(line);
        advertisers.put(c.get("campaign_id").asText(), c.get("advertiser").asText());
      }
      Map<String, String> segments = new HashMap<>();
      for (String line : customerLines) {
        JsonNode c = JSON.readTree(line);
        segments.put(c.get("user_id").asText(), c.get("segment").asText());
      }
      Map<String, JsonNode> imps = valid(lines, "impressions", "impression_id");
      Map<String, JsonNode> clicks = valid(lines, "clicks", "click_id");
      Map<String, JsonNode> convs = valid(lines, "conversions", "conversion_id");

      Map<String, List<JsonNode>> qualifying = new TreeMap<>();
      for (JsonNode c : clicks.values()) {
        JsonNode i = imps.get(c.get("impression_id").asText());
        String reason = null;
        if (i == null) {
          reason = "no_impression";
        } else if (!i.get("user_id").asText().equals(c.get("user_id").asText())) {
          reason = "user_mismatch";
        } else if (time(c) < time(i) || time(c) > time(i) + 30 * MINUTE) {
          reason = "too_late";
        }
        if (reason != null) {
          orphans.put(c.get("click_id").asText(), reason);
        } else {
          qualifying.computeIfAbsent(i.get("impression_id").asText(), k -> new ArrayList<>()).add(c);
        }
      }
      for (List<JsonNode> candidates : qualifying.values()) {
        JsonNode first = null;
        for (JsonNode c : candidates) {
          if (first == null || time(c) < time(first)
              || (time(c) == time(first) && c.get("click_id").asText().compareTo(first.get("click_id").asText()) < 0)) {
            first = c;
          }
        }
        for (JsonNode c : candidates) {
          if (c != first) {
            orphans.put(c.get("click_id").asText(), "repeat_click");
          }
        }
        attributedClicks.put(first.get("click_id").asText(), first);
      }

      for (JsonNode i : imps.values()) {
        String campaign = i.get("campaign_id").asText();
        for (Totals t : totals(campaign, i.get("user_id").asText(), time(i), advertisers, segments)) {
          t.impressions++;
          t.costMicros += i.get("cost_micros").asLong();
        }
      }
      for (JsonNode c : attributedClicks.values()) {
        String campaign = imps.get(c.get("impression_id").asText()).get("campaign_id").asText();
        for (Totals t : totals(campaign, c.get("user_id").asText(), time(c), advertisers, segments)) {
          t.clicks++;
        }
      }
      for (JsonNode v : convs.values()) {
        JsonNode last = null;
        for (JsonNode c : attributedClicks.values()) {
          if (!c.get("user_id").asText().equals(v.get("user_id").asText())) {
            continue;
          }
          long gap = time(v) - time(c);
          if (gap > 0 && gap <= 24 * HOUR && (last == null || time(c) > time(last)
              || (time(c) == time(last) && c.get("click_id").asText().compareTo(last.get("click_id").asText()) > 0))) {
            last = c;
          }
        }
        BigDecimal value = v.get("order_value").decimalValue();
        String impression = last == null ? null : last.get("impression_id").asText();
        String campaign = last == null ? null : imps.get(impression).get("campaign_id").asText();
        attributions.put(v.get("conversion_id").asText(), v.get("user_id").asText() + "|" + time(v) + "|"
            + BigDecimal.valueOf(value.doubleValue()).stripTrailingZeros().toPlainString() + "|"
            + (last == null ? null : last.get("click_id").asText()) + "|" + impression + "|" + campaign);
        if (campaign != null) {
          for (Totals t : totals(campaign, v.get("user_id").asText(), time(v), advertisers, segments)) {
            t.conversions++;
            t.revenue = t.revenue.add(value);
          }
        }
      }
    }

    private List<Totals> totals(String campaign, String user, long time, Map<String, String> advertisers,
        Map<String, String> segments) {
      long window = Math.floorDiv(time, HOUR) * HOUR;
      Totals c = campaignStats.computeIfAbsent(campaign + "|" + window, k -> new Totals());
      Totals a = audienceStats.computeIfAbsent(
          campaign + "|" + segments.getOrDefault(user, "unknown") + "|" + window, k -> new Totals());
      c.advertiser = advertisers.get(campaign);
      a.advertiser = advertisers.get(campaign);
      return List.of(c, a);
    }

    /** The stream's valid records by id, the first copy of each; invalid ones and duplicates counted. */
    private Map<String, JsonNode> valid(Map<String, List<String>> lines, String stream, String idField) {
      Map<String, JsonNode> byId = new LinkedHashMap<>();
      long bad = 0;
      long copies = 0;
      for (String line : lines.get(stream)) {
        JsonNode n = check(line, stream);
        if (n == null) {
          bad++;
        } else if (byId.putIfAbsent(n.get(idField).asText(), n) != null) {
          copies++;
        }
      }
      invalid.put(stream, bad);
      duplicates.put(stream, copies);
      return byId;
    }

    private static JsonNode check(String line, String stream) {
      JsonNode n;
      try {
        n = JSON.readTree(line);
      } catch (Exception e) {
        return null;
      }
      if (n == null || !n.isObject()) {
        return null;
      }
      List<String> strings = switch (stream) {
        case "impressions" -> List.of("impression_id", "event_time", "campaign_id", "user_id", "placement");
        case "clicks" -> List.of("click_id", "event_time", "impression_id", "user_id");
        default -> List.of("conversion_id", "event_time", "user_id");
      };
      for (String field : strings) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
          return null;
        }
      }
      try {
        OffsetDateTime.parse(n.get("event_time").asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      } catch (Exception e) {
        return null;
      }
      if (stream.equals("impressions")) {
        JsonNode cost = n.get("cost_micros");
        if (cost == null || !cost.isIntegralNumber() || !cost.canConvertToLong() || cost.asLong() < 0) {
          return null;
        }
      }
      if (stream.equals("conversions")) {
        JsonNode value = n.get("order_value");
        if (value == null || !value.isNumber() || value.decimalValue().signum() < 0) {
          return null;
        }
      }
      return n;
    }

    static long time(JsonNode n) {
      return OffsetDateTime.parse(n.get("event_time").asText()).toInstant().toEpochMilli();
    }
  }
}
