package dev.millrace.pipelines.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** campaign-analytics' own record count per Kinesis stream: when the input ends, and what is refused. */
class CampaignStreamCountsTest {
  static CampaignAnalyticsOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(CampaignAnalyticsOptions.class);
  }

  static final String[] STREAMS = {"--source=kinesis", "--impressionsStream=i", "--clicksStream=c",
      "--conversionsStream=v", "--campaigns=c.jsonl", "--customers=u.jsonl", "--output=/tmp/out"};

  @Test
  void theInputEndsOnlyWhenEveryStreamHasACount() {
    assertThat(CampaignAnalytics.everyStreamEnds(options(STREAMS))).isFalse();
    assertThat(CampaignAnalytics.everyStreamEnds(options(concat(STREAMS, "--impressionsMaxRecords=10",
        "--clicksMaxRecords=2")))).as("conversions read on for ever").isFalse();
    assertThat(CampaignAnalytics.everyStreamEnds(options(concat(STREAMS, "--impressionsMaxRecords=10",
        "--clicksMaxRecords=2", "--conversionsMaxRecords=1")))).isTrue();
    assertThat(CampaignAnalytics.everyStreamEnds(options(concat(STREAMS, "--maxRecords=5")))).isTrue();
    assertThat(CampaignAnalytics.maxRecordsPerStream(options(concat(STREAMS, "--impressionsMaxRecords=10",
        "--clicksMaxRecords=2", "--conversionsMaxRecords=1")))).containsExactly(10, 2, 1);
  }

  @Test
  void aCountIsRefusedWhenNegativeOrWithoutKinesis() {
    assertThatThrownBy(() -> CampaignAnalytics.validate(options(concat(STREAMS, "--clicksMaxRecords=-1"))))
        .hasMessageContaining("--clicksMaxRecords: must be >= 0 (0 means --maxRecords), but was -1");
    assertThatThrownBy(() -> CampaignAnalytics.validate(options("--source=synthetic", "--maxEvents=10",
            "--output=/tmp/out", "--conversionsMaxRecords=3")))
        .hasMessageContaining("--conversionsMaxRecords: conflicts with --source=synthetic (it bounds a Kinesis read)");
  }

  static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
