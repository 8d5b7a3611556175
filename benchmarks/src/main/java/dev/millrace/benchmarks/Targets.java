package dev.millrace.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The performance targets of issue #20, each judged on figures measured in one {@code bin/millrace-bench}
 * run, so that machine noise cancels in the ratios. A target whose figure the run did not measure (a
 * runner or template left out, a latency rate not asked, too short a latency run) is reported as not
 * measured rather than judged.
 */
final class Targets {
  /** A sustained rate counts only when held this long ("keeps up for 3 minutes"). */
  static final int SUSTAINED_SECONDS = 180;

  /** One target: its figure ({@code NaN} when not measured), the bound, and why it was not measured. */
  record Target(String name, double value, String comparison, double bound, String unmeasuredBecause) {
    static Target atLeast(String name, double value, double bound, String unmeasuredBecause) {
      return new Target(name, value, ">=", bound, unmeasuredBecause);
    }

    static Target atMost(String name, double value, double bound, String unmeasuredBecause) {
      return new Target(name, value, "<=", bound, unmeasuredBecause);
    }

    boolean measured() {
      return !Double.isNaN(value);
    }

    Target withValue(double other) {
      return new Target(name, other, comparison, bound, unmeasuredBecause);
    }

    boolean met() {
      return measured() && (comparison.equals(">=") ? value >= bound : value <= bound);
    }
  }

  private Targets() {}

  /** The DirectRunner's one run of clickstream on a larger input, for its memory against the 1M run's. */
  record ScaleRun(long events, long records, double jobSeconds, long peakRssMb) {}

  /** The run size the Direct runner's speed and memory targets are set at. */
  static final long TARGET_EVENTS = 1_000_000;

  /**
   * The targets from one run's figures: clickstream's medians by config (job seconds, peak RSS MB), its
   * events and records, the DirectRunner's run at a larger size ({@code null} when not made), the Flink
   * streaming latency results and how long each rate ran, each template's and fraud-detection's
   * ({@code fraudAccounts} accounts; the target is set at 10,000) {@code speed_vs_java_baseline} by config.
   */
  static List<Target> judge(Map<String, Double> clickstreamJobSeconds, Map<String, Long> clickstreamPeakRssMb,
      long events, long records, @Nullable ScaleRun directAtScale, List<StreamingLatency.Result> flinkLatency,
      int latencySeconds, Map<String, Map<String, Double>> templateSpeedVsJava, int fraudAccounts,
      Map<String, Double> fraudSpeedVsJava) {
    List<Target> targets = new ArrayList<>();
    Double java = clickstreamJobSeconds.get("baseline-java");
    Double nativeFlink = clickstreamJobSeconds.get("baseline-flink");
    Double flink = clickstreamJobSeconds.get("millrace-flink");
    Double direct = clickstreamJobSeconds.get("millrace-direct");
    targets.add(Target.atLeast("clickstream-analytics on Flink vs the plain-Java baseline",
        ratio(java, flink), 0.6, flink == null ? "no Flink run" : null));
    targets.add(Target.atLeast("clickstream-analytics on Flink vs the native Flink baseline",
        ratio(nativeFlink, flink), 0.5, flink == null ? "no Flink run" : null));
    // Figures "at 1M events" from that size only: a 5M run's RSS is not the 1M target's.
    boolean million = events == TARGET_EVENTS;
    String notAMillion = direct == null ? "no Direct run"
        : million ? null : String.format(Locale.ROOT, "this run has %,d events, not 1,000,000", events);
    targets.add(Target.atLeast("clickstream-analytics on Direct, records/s at 1M events",
        direct == null || !million ? Double.NaN : records / direct, 40_000, notAMillion));
    Long directRss = clickstreamPeakRssMb.get("millrace-direct");
    targets.add(Target.atMost("clickstream-analytics on Direct, peak RSS MB at 1M events",
        directRss == null || !million ? Double.NaN : directRss, 2_048, notAMillion));
    boolean atFiveMillion = directAtScale != null && directAtScale.events() == 5 * TARGET_EVENTS;
    targets.add(Target.atMost("clickstream-analytics on Direct, peak RSS at 5M events / at 1M",
        directRss == null || !million || !atFiveMillion ? Double.NaN : (double) directAtScale.peakRssMb() / directRss,
        1.3, notAMillion != null ? notAMillion
            : atFiveMillion ? null : "no Direct run at 5,000,000 events (--directScaleEvents=5000000)"));
    targets.add(Target.atLeast(String.format(Locale.ROOT,
            "fraud-detection on Flink vs its plain-Java baseline (%,d accounts)", fraudAccounts),
        value(fraudSpeedVsJava, "millrace-flink"), 0.4,
        fraudSpeedVsJava.containsKey("millrace-flink") ? null : "not run (--fraudAccounts, --runners)"));
    for (String template : List.of("log-analytics", "predictive-maintenance", "patient-monitoring",
        "campaign-analytics")) {
      Map<String, Double> speeds = templateSpeedVsJava.getOrDefault(template, Map.of());
      targets.add(Target.atLeast(template + " on Flink vs its plain-Java baseline", value(speeds, "millrace-flink"),
          0.4, speeds.containsKey("millrace-flink") ? null : "not run (--templates, --runners)"));
    }
    StreamingLatency.Result at10k = flinkLatency.stream().filter(r -> r.rate() == 10_000).findFirst().orElse(null);
    targets.add(Target.atMost("Flink streaming p99 window latency (s) at 10,000 events/s, kept up",
        at10k == null || !at10k.sustained() ? Double.NaN : at10k.p99() / 1000, 5,
        at10k == null ? "10000 not in --latencyRates (or flink not in --latencyRunners)"
            : at10k.sustained() ? null : "did not keep up at 10,000 events/s"));
    double highest = flinkLatency.stream().filter(StreamingLatency.Result::sustained)
        .mapToDouble(StreamingLatency.Result::rate).max().orElse(Double.NaN);
    boolean longEnough = latencySeconds >= SUSTAINED_SECONDS;
    targets.add(Target.atLeast("Flink streaming, highest rate kept up for 3 minutes (events/s)",
        longEnough ? highest : Double.NaN, 40_000,
        !longEnough ? "--latencySeconds below " + SUSTAINED_SECONDS
            : Double.isNaN(highest) ? "no rate kept up" : null));
    return targets;
  }

  static String json(List<Target> targets) {
    StringBuilder out = new StringBuilder("[\n");
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      out.append(String.format(Locale.ROOT, "    {\"target\": \"%s\", \"value\": %s, \"bound\": \"%s %s\", \"met\": %s%s}%s%n",
          t.name(), t.measured() ? String.format(Locale.ROOT, "%.4f", t.value()) : "null", t.comparison(),
          bound(t.bound()), t.measured() ? String.valueOf(t.met()) : "null",
          t.measured() ? "" : ", \"not_measured\": \"" + t.unmeasuredBecause() + "\"", i + 1 < targets.size() ? "," : ""));
    }
    return out.append("  ]").toString();
  }

  static String table(List<Target> targets) {
    StringBuilder out = new StringBuilder(String.format("%nperformance targets (one run's figures):%n"));
    for (Target t : targets) {
      out.append(String.format(Locale.ROOT, "  %-8s %-72s %12s  (%s %s)%n",
          !t.measured() ? "-" : t.met() ? "met" : "NOT MET", t.name(),
          t.measured() ? figure(t) : "not measured", t.comparison(),
          t.measured() ? bound(t.bound()) : bound(t.bound()) + "; " + t.unmeasuredBecause()));
    }
    return out.toString();
  }

  /** Where {@code bin/millrace-bench --readme=true} writes {@link #markdown} in the README. */
  static final String README_BEGIN = "<!-- millrace-bench targets: begin (written by bin/millrace-bench --readme=true) -->";
  static final String README_END = "<!-- millrace-bench targets: end -->";

  /** The targets as a Markdown table under {@code heading} (what was run, where, when). */
  static String markdown(List<Target> targets, String heading) {
    StringBuilder out = new StringBuilder(heading).append(":\n\n| target | this run | bound | |\n|---|---|---|---|\n");
    for (Target t : targets) {
      out.append(String.format(Locale.ROOT, "| %s | %s | %s %s | %s |%n", t.name(),
          t.measured() ? figure(t) : "not measured",
          t.comparison(), bound(t.bound()),
          !t.measured() ? t.unmeasuredBecause() : t.met() ? "met" : "**not met**"));
    }
    return out.toString();
  }

  /** {@code readme} with the text between its markers replaced by {@code table}; no markers is an error. */
  static String intoReadme(String readme, String table) {
    int begin = readme.indexOf(README_BEGIN);
    int end = readme.indexOf(README_END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException("README.md has no " + README_BEGIN + " ... " + README_END + " block");
    }
    return readme.substring(0, begin + README_BEGIN.length()) + "\n" + table + readme.substring(end);
  }

  /**
   * A target's figure: a rate or size whole, a ratio with three decimals, more where fewer would read
   * as the other verdict (0.3996 against ">= 0.4" is 0.3996, not 0.400).
   */
  static String figure(Target t) {
    double v = t.value();
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    String text = String.format(Locale.ROOT, "%.3f", v);
    for (int decimals = 4; decimals <= 8 && t.withValue(Double.parseDouble(text)).met() != t.met(); decimals++) {
      text = String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
    return text;
  }

  private static String bound(double bound) {
    return bound == Math.rint(bound) ? String.format(Locale.ROOT, "%.0f", bound) : String.valueOf(bound);
  }

  private static double ratio(Double baselineSeconds, Double seconds) {
    return baselineSeconds == null || seconds == null ? Double.NaN : baselineSeconds / seconds;
  }

  private static double value(Map<String, Double> values, String key) {
    Double v = values.get(key);
    return v == null ? Double.NaN : v;
  }
}
