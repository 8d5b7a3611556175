package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.pipelines.campaign.CampaignAnalyticsOptions;
import dev.millrace.pipelines.clickstream.ClickstreamAnalyticsOptions;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** A cluster's workers do not run in the CLI's directory: relative paths are made absolute first. */
class LocalPathsTest {
  static final String CWD = Paths.get("").toAbsolutePath().toString();

  @Test
  void relativeLocalPathsBecomeAbsoluteAndEverythingElseStaysAsGiven() {
    String[] args = LocalPaths.absolute(ClickstreamAnalyticsOptions.class, new String[] {
        "--input=data/../data/*.jsonl", "--output=out", "--stream=data/clicks", "--windowSize=5m", "input=x"});
    assertThat(args).containsExactly(
        "--input=" + CWD + "/data/*.jsonl", "--output=" + CWD + "/out", "--stream=data/clicks", "--windowSize=5m",
        "input=x");
  }

  @Test
  void urisAbsolutePathsEmptyValuesAndReferencesAreLeftAlone() {
    String[] given = {"--output=s3://bucket/out", "--input=/tmp/in.jsonl", "--campaigns=", "--customers=${env:C}",
        "--impressions=file:///tmp/i.jsonl"};
    assertThat(LocalPaths.absolute(CampaignAnalyticsOptions.class, given)).containsExactly(given);
  }

  @Test
  void everyTemplatesTablesAndInputsAreMarkedAsPaths() {
    String[] args = LocalPaths.absolute(CampaignAnalyticsOptions.class, new String[] {
        "--impressions=i", "--clicks=c", "--conversions=v", "--campaigns=t", "--customers=u"});
    assertThat(args).allSatisfy(a -> assertThat(a).contains("=" + CWD + "/"));
  }
}
