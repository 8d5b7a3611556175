package dev.millrace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetsTest {
  private static final Map<String, Double> JOB_SECONDS = Map.of("baseline-java", 12.0, "baseline-flink", 48.0,
      "millrace-direct", 25.0, "millrace-flink", 20.0);
  private static final Map<String, Long> PEAK_RSS_MB = Map.of("millrace-direct", 2_048L, "millrace-flink", 1_800L);

  private static StreamingLatency.Result latency(double rate, double p99Millis, boolean keepsUp) {
    return new StreamingLatency.Result(rate, 30, 2_000, 3_000, p99Millis, 3_000, keepsUp ? 3_500 : 9_000, rate);
  }

  private static Targets.Target named(List<Targets.Target> targets, String prefix) {
    return targets.stream().filter(t -> t.name().startsWith(prefix)).findFirst().orElseThrow();
  }

  @Test
  void eachRatioIsJudgedOnItsBoundInclusive() {
    List<Targets.Target> targets = Targets.judge(JOB_SECONDS, PEAK_RSS_MB, 1_000_000, 1_000_000,
        new Targets.ScaleRun(5_000_000, 5_050_000, 130.0, 2_700),
        List.of(latency(10_000, 5_000, true), latency(40_000, 9_000, true), latency(60_000, 20_000, false)), 180,
        Map.of("log-analytics", Map.of("millrace-flink", 0.4), "campaign-analytics", Map.of("millrace-flink", 0.399)),
        10_000, Map.of("millrace-flink", 0.21));

    assertThat(named(targets, "clickstream-analytics on Flink vs the plain-Java").value()).isEqualTo(0.6);
    assertThat(named(targets, "clickstream-analytics on Flink vs the plain-Java").met()).isTrue();
    assertThat(named(targets, "clickstream-analytics on Flink vs the native").value()).isEqualTo(2.4);
    assertThat(named(targets, "clickstream-analytics on Direct, records/s").value()).isEqualTo(40_000);
    assertThat(named(targets, "clickstream-analytics on Direct, records/s").met()).isTrue();
    assertThat(named(targets, "clickstream-analytics on Direct, peak RSS MB").met()).isTrue();
    assertThat(named(targets, "clickstream-analytics on Direct, peak RSS at 5M").value()).isEqualTo(2_700.0 / 2_048);
    assertThat(named(targets, "clickstream-analytics on Direct, peak RSS at 5M").met()).isFalse();
    assertThat(named(targets, "log-analytics").met()).isTrue();
    assertThat(named(targets, "campaign-analytics").met()).isFalse();
    assertThat(named(targets, "fraud-detection").met()).isFalse();
    assertThat(named(targets, "Flink streaming p99").value()).isEqualTo(5.0);
    assertThat(named(targets, "Flink streaming p99").met()).isTrue();
    // 60,000 did not keep up: the highest sustained rate is 40,000.
    assertThat(named(targets, "Flink streaming, highest").value()).isEqualTo(40_000);
    assertThat(named(targets, "Flink streaming, highest").met()).isTrue();
  }

  @Test
  void whatTheRunDidNotMeasureIsSaidNotJudged() {
    List<Targets.Target> targets = Targets.judge(Map.of("baseline-java", 1.0, "millrace-direct", 2.0), Map.of(),
        100_000, 101_000, null, List.of(latency(10_000, 9_000, false)), 30, Map.of(), 10_000, Map.of());

    assertThat(named(targets, "clickstream-analytics on Flink vs the plain-Java").measured()).isFalse();
    assertThat(named(targets, "clickstream-analytics on Flink vs the plain-Java").met()).isFalse();
    assertThat(named(targets, "clickstream-analytics on Direct, records/s").unmeasuredBecause())
        .isEqualTo("this run has 100,000 events, not 1,000,000");
    assertThat(named(targets, "clickstream-analytics on Direct, peak RSS at 5M").unmeasuredBecause())
        .isEqualTo("this run has 100,000 events, not 1,000,000");
    assertThat(named(targets, "predictive-maintenance").unmeasuredBecause()).contains("--templates");
    assertThat(named(targets, "Flink streaming p99").unmeasuredBecause()).contains("did not keep up");
    assertThat(named(targets, "Flink streaming, highest").unmeasuredBecause()).contains("--latencySeconds below 180");
    assertThat(Targets.table(targets)).contains("not measured");
  }

  @Test
  void theRunsJsonCarriesTheTargetsAfterItsLatencyArrays() throws Exception {
    List<Targets.Target> targets = Targets.judge(JOB_SECONDS, PEAK_RSS_MB, 1_000_000, 1_000_000, null, List.of(), 30,
        Map.of(), 1_000, Map.of("millrace-flink", 0.5));
    Benchmark.Measurement run = new Benchmark.Measurement("baseline-java", 1, 13.0, 12.0, 19.0, 1L << 31, 10, true,
        List.of());
    String json = Benchmark.json(List.of(run), List.of(new Benchmark.Config("baseline-java", List.of())), 1_000_000,
        1_000_000, 1, Map.of(), ",\n  \"targets\": " + Targets.json(targets));

    JsonNode root = new ObjectMapper().readTree(json);
    assertThat(root.get("medians").get(0).get("speed_vs_java_baseline").asDouble()).isEqualTo(1.0);
    assertThat(root.get("flink_streaming_latency").isArray()).isTrue();
    JsonNode fraud = root.get("targets").get(5);
    assertThat(fraud.get("target").asText()).isEqualTo("fraud-detection on Flink vs its plain-Java baseline (1,000 accounts)");
    assertThat(fraud.get("value").asDouble()).isEqualTo(0.5);
    assertThat(fraud.get("met").asBoolean()).isTrue();
    assertThat(root.get("targets").get(4).get("met").isNull()).isTrue();
    assertThat(root.get("targets").get(4).get("not_measured").asText()).contains("--directScaleEvents=5000000");
  }

  @Test
  void theReadmeTableReplacesOnlyWhatIsBetweenItsMarkers() {
    List<Targets.Target> targets = List.of(Targets.Target.atLeast("log-analytics on Flink", 0.43, 0.4, null),
        Targets.Target.atLeast("predictive-maintenance on Flink", 0.3996, 0.4, null),
        Targets.Target.atLeast("records/s", 45_498.38, 40_000, null),
        Targets.Target.atLeast("fraud-detection on Flink", 0.22, 0.4, null),
        Targets.Target.atMost("Direct RSS at 5M / at 1M", Double.NaN, 1.3, "needs a second run"));
    String table = Targets.markdown(targets, "run X");
    String readme = "before\n" + Targets.README_BEGIN + "\nan old table\n" + Targets.README_END + "\nafter\n";

    String written = Targets.intoReadme(readme, table);

    assertThat(written).isEqualTo("before\n" + Targets.README_BEGIN + "\nrun X:\n\n| target | this run | bound | |\n"
        + "|---|---|---|---|\n| log-analytics on Flink | 0.430 | >= 0.4 | met |\n"
        + "| predictive-maintenance on Flink | 0.3996 | >= 0.4 | **not met** |\n"
        + "| records/s | 45,498 | >= 40000 | met |\n"
        + "| fraud-detection on Flink | 0.220 | >= 0.4 | **not met** |\n"
        + "| Direct RSS at 5M / at 1M | not measured | <= 1.3 | needs a second run |\n"
        + Targets.README_END + "\nafter\n");
    assertThat(Targets.intoReadme(written, table)).isEqualTo(written);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Targets.intoReadme("no markers", table))
        .hasMessageContaining("README.md has no");
  }

  @Test
  void theDirectRunnersFiguresAtOneMillionComeFromThatSizeAndTheScaleRatioFromBoth() {
    // A 5M run is not judged against the 1M bounds (its RSS is not the 1M figure).
    List<Targets.Target> atFive = Targets.judge(JOB_SECONDS, PEAK_RSS_MB, 5_000_000, 5_050_000, null, List.of(), 30,
        Map.of(), 10_000, Map.of());
    assertThat(named(atFive, "clickstream-analytics on Direct, peak RSS MB").measured()).isFalse();
    assertThat(named(atFive, "clickstream-analytics on Direct, records/s").unmeasuredBecause())
        .isEqualTo("this run has 5,000,000 events, not 1,000,000");

    List<Targets.Target> noScaleRun = Targets.judge(JOB_SECONDS, PEAK_RSS_MB, 1_000_000, 1_010_000, null, List.of(),
        30, Map.of(), 10_000, Map.of());
    assertThat(named(noScaleRun, "clickstream-analytics on Direct, peak RSS at 5M").unmeasuredBecause())
        .contains("--directScaleEvents=5000000");

    // At the bound: 1.3 times the 1M run's peak is met.
    List<Targets.Target> atBound = Targets.judge(JOB_SECONDS, Map.of("millrace-direct", 1_000L), 1_000_000, 1_010_000,
        new Targets.ScaleRun(5_000_000, 5_050_000, 100.0, 1_300), List.of(), 30, Map.of(), 10_000, Map.of());
    assertThat(named(atBound, "clickstream-analytics on Direct, peak RSS at 5M").value()).isEqualTo(1.3);
    assertThat(named(atBound, "clickstream-analytics on Direct, peak RSS at 5M").met()).isTrue();
  }
}
