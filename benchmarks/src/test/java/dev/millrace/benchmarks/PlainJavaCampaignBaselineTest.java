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
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The campaign baseline's rows are campaign-analytics' rows: its ratio is against the same work. */
class PlainJavaCampaignBaselineTest {
  /**
   * The rules' boundaries, of user edge-u (segment 'edge') and campaign camp-edge: a click exactly 30m
   * after its impression is attributed, 30m 1 ms is too_late, one before it too_late; a tie in time goes to
   * the smaller click_id (e-c4a), the other is a repeat_click; another user is user_mismatch; no impression
   * is no_impression. Conversions: at a click's own time is not after it (e-v1: none), exactly 24h after
   * e-c1 is attributed (e-v2), 1 ms more is not (e-v3). And a user in no customer row (segment 'unknown')
   * on a campaign in no campaign row (no advertiser).
   */
  static final Map<String, String> EDGES = Map.of("impressions", """
      {"impression_id":"e-i1","event_time":"2026-01-01T03:00:00Z","campaign_id":"camp-edge","user_id":"edge-u","placement":"feed","cost_micros":1000001}
      {"impression_id":"e-i2","event_time":"2026-01-01T03:00:00Z","campaign_id":"camp-edge","user_id":"edge-u","placement":"feed","cost_micros":7}
      {"impression_id":"e-i3","event_time":"2026-01-01T03:10:00Z","campaign_id":"camp-edge","user_id":"edge-u","placement":"feed","cost_micros":0}
      {"impression_id":"e-i9","event_time":"2026-01-01T05:00:00Z","campaign_id":"camp-none","user_id":"nobody-u","placement":"feed","cost_micros":500}
      """, "clicks", """
      {"click_id":"e-c1","event_time":"2026-01-01T03:30:00Z","impression_id":"e-i1","user_id":"edge-u"}
      {"click_id":"e-c2","event_time":"2026-01-01T03:30:00.001Z","impression_id":"e-i2","user_id":"edge-u"}
      {"click_id":"e-c3","event_time":"2026-01-01T03:09:59.999Z","impression_id":"e-i3","user_id":"edge-u"}
      {"click_id":"e-c4b","event_time":"2026-01-01T03:10:00Z","impression_id":"e-i3","user_id":"edge-u"}
      {"click_id":"e-c4a","event_time":"2026-01-01T03:10:00Z","impression_id":"e-i3","user_id":"edge-u"}
      {"click_id":"e-c5","event_time":"2026-01-01T03:45:00Z","impression_id":"e-i3","user_id":"other-u"}
      {"click_id":"e-c6","event_time":"2026-01-01T03:11:00Z","impression_id":"e-nothing","user_id":"edge-u"}
      {"click_id":"e-c9","event_time":"2026-01-01T05:01:00Z","impression_id":"e-i9","user_id":"nobody-u"}
      """, "conversions", """
      {"conversion_id":"e-v1","event_time":"2026-01-01T03:10:00Z","user_id":"edge-u","order_value":10.10}
      {"conversion_id":"e-v2","event_time":"2026-01-02T03:30:00Z","user_id":"edge-u","order_value":20.20}
      {"conversion_id":"e-v3","event_time":"2026-01-02T03:30:00.001Z","user_id":"edge-u","order_value":30.30}
      {"conversion_id":"e-v4","event_time":"2026-01-01T03:40:00Z","user_id":"edge-u","order_value":0.1}
      {"conversion_id":"e-v9","event_time":"2026-01-01T05:02:00Z","user_id":"nobody-u","order_value":3.5}
      """, "campaigns", """
      {"campaign_id":"camp-edge","advertiser":"edge-adv","channel":"search"}
      """, "customers", """
      {"user_id":"edge-u","age_band":"25-34","region":"north","segment":"edge"}
      """);

  @Test
  void theBaselineWritesWhatTheTemplateWrites(@TempDir Path dir) throws Exception {
    AdEventsGenerator generator = new AdEventsGenerator(SyntheticAdEventsConfig.defaults()
        .withSeed(7).withEventsPerSecond(1).withUsers(150).withCampaigns(4)
        .withDuplicateFraction(0.02).withMalformedFraction(0.02));
    Map<String, List<String>> files = new LinkedHashMap<>();
    for (String stream : CampaignAnalytics.STREAMS) {
      files.put(stream, LongStream.range(0, 2_500).mapToObj(n -> generator.recordsOf(n, stream))
          .flatMap(List::stream).collect(Collectors.toCollection(ArrayList::new)));
    }
    files.put("campaigns", new ArrayList<>(generator.campaignsJsonLines()));
    files.put("customers", new ArrayList<>(generator.customersJsonLines()));
    for (Map.Entry<String, List<String>> file : files.entrySet()) {
      file.getValue().addAll(EDGES.get(file.getKey()).lines().toList());
      Files.write(dir.resolve(file.getKey() + ".jsonl"), file.getValue(), StandardCharsets.UTF_8);
    }

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
}
