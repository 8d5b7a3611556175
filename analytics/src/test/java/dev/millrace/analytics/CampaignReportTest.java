package dev.millrace.analytics;

import static dev.millrace.analytics.OutputLakeTest.assertRendered;
import static dev.millrace.analytics.OutputLakeTest.local;
import static dev.millrace.analytics.OutputLakeTest.toMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.pipelines.campaign.CampaignAnalytics;
import dev.millrace.pipelines.campaign.CampaignAnalyticsOptions;
import dev.millrace.testing.TemplateRuns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics stage over campaign-analytics' datasets: the report's campaign part gives the numbers
 * of the Parquet files (summed here from the rows), the per-campaign lines add up to the totals, and the
 * page draws every chart.
 */
class CampaignReportTest {
  @TempDir static Path dir;
  static Path output;

  @BeforeAll
  static void run() {
    output = dir.resolve("campaigns");
    CampaignAnalytics.run(PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
        "--maxEvents=6000", "--rate=1", "--syntheticUsers=200",
        "--malformedFraction=0.01", "--output=" + output)).as(CampaignAnalyticsOptions.class)).waitUntilFinish();
  }

  @Test
  void theCampaignPartHasTheNumbersOfTheFiles() throws Exception {
    Map<String, double[]> perCampaign = new TreeMap<>();
    double spend = 0;
    double revenue = 0;
    long impressions = 0;
    long clicks = 0;
    for (GenericRecord r : LocalParquetFiles.readAll(output.resolve("campaign_stats"))) {
      double[] t = perCampaign.computeIfAbsent(r.get("campaign_id").toString(), k -> new double[2]);
      t[0] += (double) r.get("spend");
      t[1] += (double) r.get("revenue");
      spend += (double) r.get("spend");
      revenue += (double) r.get("revenue");
      impressions += (long) r.get("impressions");
      clicks += (long) r.get("clicks");
    }
    Map<String, Double> funnel = new TreeMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(output.resolve("audience_stats"))) {
      String segment = r.get("segment").toString();
      funnel.merge(segment + ": impressions", (double) (long) r.get("impressions"), Double::sum);
      funnel.merge(segment + ": clicks", (double) (long) r.get("clicks"), Double::sum);
      funnel.merge(segment + ": conversions", (double) (long) r.get("conversions"), Double::sum);
    }
    assertThat(perCampaign).hasSizeGreaterThan(3);
    try (OutputLake lake = OutputLake.open(output.toString(), local())) {
      Report report = new Report(lake, output.toString());
      JsonNode data = report.data();
      JsonNode part = data.get("campaigns");
      assertThat(part.get("impressions").asLong()).isEqualTo(impressions);
      assertThat(part.get("clicks").asLong()).isEqualTo(clicks);
      assertThat(part.get("spend_cents").asLong()).isEqualTo(Math.round(spend * 100));
      assertThat(report.campaignsSummary()).contains(String.format("%,d impressions", impressions));

      Map<String, Double> roas = toMap(data.get("roas_per_campaign"));
      for (Map.Entry<String, double[]> e : perCampaign.entrySet()) {
        double[] t = e.getValue();
        assertThat(roas.get(e.getKey())).as(e.getKey()).isCloseTo(t[0] == 0 ? 0 : t[1] / t[0], within(1e-6));
      }
      assertThat(toMap(data.get("funnel_per_segment"))).isEqualTo(funnel);

      // Each window's total is the sum of its campaigns' lines; all windows add up to the spend.
      JsonNode spendChart = data.get("campaign_spend_per_window");
      assertThat(spendChart.get("series").size()).isEqualTo(perCampaign.size());
      double total = 0;
      for (int i = 0; i < spendChart.get("x").size(); i++) {
        double window = 0;
        for (Iterator<JsonNode> it = spendChart.get("series").elements(); it.hasNext(); ) {
          window += it.next().get(i).asDouble();
        }
        assertThat(window).isCloseTo(spendChart.get("y").get(i).asDouble(), within(1e-6));
        total += window;
      }
      assertThat(total).isCloseTo(spend, within(1e-6));
      assertThat(toMap(data.get("orphans_by_reason")).keySet())
          .contains("no_impression", "user_mismatch", "too_late", "repeat_click");

      Path html = dir.resolve("report.html");
      Files.writeString(html, report.html(), StandardCharsets.UTF_8);
      String dom = assertRendered(html, data);
      assertThat(dom).contains("Campaign analytics").contains("data-series=\"" + perCampaign.keySet().iterator().next());
    }
  }
}
