package dev.millrace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.synthetic.AdEventsGenerator;
import dev.millrace.io.synthetic.SyntheticAdEventsConfig;
import dev.millrace.pipelines.campaign.CampaignAnalytics;
import dev.millrace.pipelines.campaign.CampaignAnalyticsOptions;
import dev.millrace.testing.TemplateRuns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The campaign baseline's rows are campaign-analytics' rows: its ratio is against the same work. */
class PlainJavaCampaignBaselineTest {
  @Test
  void theBaselineWritesWhatTheTemplateWrites(@TempDir Path dir) throws Exception {
    AdEventsGenerator generator = new AdEventsGenerator(SyntheticAdEventsConfig.defaults()
        .withSeed(7).withEventsPerSecond(1).withUsers(150).withCampaigns(4)
        .withDuplicateFraction(0.02).withMalformedFraction(0.02));
    Map<String, List<String>> streams = new LinkedHashMap<>();
    for (String stream : CampaignAnalytics.STREAMS) {
      List<String> records = new ArrayList<>();
      for (long n = 0; n < 2_500; n++) {
        records.addAll(generator.recordsOf(n, stream));
      }
      streams.put(stream, records);
    }
    // The rules' boundaries, all of user edge-u (segment 'edge') and campaign camp-edge, and one of a
    // user in no customer row (segment 'unknown') on a campaign in no campaign row (no advertiser).
    List<String> imps = streams.get("impressions");
    List<String> clicks = streams.get("clicks");
    List<String> convs = streams.get("conversions");
    imps.add(imp("e-i1", "2026-01-01T03:00:00Z", "camp-edge", "edge-u", 1_000_001));
    clicks.add(click("e-c1", "2026-01-01T03:30:00Z", "e-i1", "edge-u")); // exactly +30m: attributed
    imps.add(imp("e-i2", "2026-01-01T03:00:00Z", "camp-edge", "edge-u", 7));
    clicks.add(click("e-c2", "2026-01-01T03:30:00.001Z", "e-i2", "edge-u")); // +30m 1ms: too_late
    imps.add(imp("e-i3", "2026-01-01T03:10:00Z", "camp-edge", "edge-u", 0));
    clicks.add(click("e-c3", "2026-01-01T03:09:59.999Z", "e-i3", "edge-u")); // before it: too_late
    clicks.add(click("e-c4b", "2026-01-01T03:10:00Z", "e-i3", "edge-u")); // a tie: repeat_click
    clicks.add(click("e-c4a", "2026-01-01T03:10:00Z", "e-i3", "edge-u")); // the smaller id wins
    clicks.add(click("e-c5", "2026-01-01T03:45:00Z", "e-i3", "other-u")); // user_mismatch
    clicks.add(click("e-c6", "2026-01-01T03:11:00Z", "e-nothing", "edge-u")); // no_impression
    convs.add(conv("e-v1", "2026-01-01T03:10:00Z", "edge-u", "10.10")); // at the click: not after it
    convs.add(conv("e-v2", "2026-01-02T03:30:00Z", "edge-u", "20.20")); // exactly 24h after e-c1
    convs.add(conv("e-v3", "2026-01-02T03:30:00.001Z", "edge-u", "30.30")); // 1 ms more: unattributed
    convs.add(conv("e-v4", "2026-01-01T03:40:00Z", "edge-u", "0.1"));
    imps.add(imp("e-i9", "2026-01-01T05:00:00Z", "camp-none", "nobody-u", 500));
    clicks.add(click("e-c9", "2026-01-01T05:01:00Z", "e-i9", "nobody-u"));
    convs.add(conv("e-v9", "2026-01-01T05:02:00Z", "nobody-u", "3.5"));
    for (Map.Entry<String, List<String>> e : streams.entrySet()) {
      Files.write(dir.resolve(e.getKey() + ".jsonl"), e.getValue(), StandardCharsets.UTF_8);
    }
    List<String> campaigns = new ArrayList<>(generator.campaignsJsonLines());
    campaigns.add("{\"campaign_id\":\"camp-edge\",\"advertiser\":\"edge-adv\",\"channel\":\"search\"}");
    Files.write(dir.resolve("campaigns.jsonl"), campaigns, StandardCharsets.UTF_8);
    List<String> customers = new ArrayList<>(generator.customersJsonLines());
    customers.add("{\"user_id\":\"edge-u\",\"age_band\":\"25-34\",\"region\":\"north\",\"segment\":\"edge\"}");
    Files.write(dir.resolve("customers.jsonl"), customers, StandardCharsets.UTF_8);

    Path template = dir.resolve("template");
    CampaignAnalytics.run(PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt("--source=file",
        "--impressions=" + dir.resolve("impressions.jsonl"), "--clicks=" + dir.resolve("clicks.jsonl"),
        "--conversions=" + dir.resolve("conversions.jsonl"), "--campaigns=" + dir.resolve("campaigns.jsonl"),
        "--customers=" + dir.resolve("customers.jsonl"), "--output=" + template))
        .as(CampaignAnalyticsOptions.class)).waitUntilFinish();
    Path baseline = dir.resolve("baseline");
    PlainJavaCampaignBaseline.main(new String[] {dir.toString(), baseline.toString()});

    Map<String, List<String>> actual = BaselineRows.assertSameAsTemplate(template, baseline,
        "attributions", "audience_stats", "campaign_stats", "orphans");
    for (String reason : List.of("no_impression", "user_mismatch", "too_late", "repeat_click")) {
      assertThat(actual.get("orphans")).as(reason).anyMatch(row -> row.contains("|" + reason + "|"));
    }
    assertThat(actual.get("orphans")).filteredOn(row -> row.startsWith("e-c"))
        .extracting(row -> row.substring(0, row.indexOf('|')))
        .containsExactlyInAnyOrder("e-c2", "e-c3", "e-c4b", "e-c5", "e-c6");
    assertThat(actual.get("attributions")).filteredOn(row -> row.startsWith("e-v"))
        .extracting(row -> row.split("\\|")[0] + ":" + row.split("\\|")[4])
        .containsExactlyInAnyOrder("e-v1:null", "e-v2:e-c1", "e-v3:null", "e-v4:e-c1", "e-v9:e-c9");
    assertThat(actual.get("audience_stats")).anyMatch(row -> row.startsWith("camp-edge|edge|"))
        .anyMatch(row -> row.startsWith("camp-none|unknown|"));
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
}
