package dev.millrace.benchmarks;

import dev.millrace.benchmarks.Benchmark.Config;
import dev.millrace.benchmarks.Benchmark.Measurement;
import dev.millrace.benchmarks.Benchmark.RssSample;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's results as one self-contained HTML page (inline SVG, no scripts, nothing fetched):
 * throughput per configuration against the baselines, streaming latency per runner and rate, and
 * each configuration's resident memory over its first run.
 */
final class BenchReport {
  private static final String[] COLORS = {"#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2"};
  private static final int WIDTH = 720;
  private static final int BAR = 26;

  private BenchReport() {}

  /**
   * The page: clickstream throughput, each template's speed against its plain-Java baseline
   * ({@code speedVsJava}: template -> config -> ratio), streaming latency, RSS, and the targets.
   */
  static String html(String machine, long records, List<Measurement> ms, List<Config> configs,
      Map<String, List<StreamingLatency.Result>> latency, Map<String, Map<String, Double>> speedVsJava,
      List<Targets.Target> targets) {
    StringBuilder page = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\">"
        + "<title>millrace-bench</title><style>body{font:14px sans-serif;margin:2em;max-width:760px}"
        + "svg text{font:12px sans-serif}</style></head><body>\n");
    page.append("<h1>millrace-bench</h1><p>").append(escape(machine)).append("; ")
        .append(String.format(Locale.ROOT, "%,d", records)).append(" records; medians over ")
        .append(ms.stream().mapToInt(Measurement::run).max().orElse(0)).append(" run(s).</p>\n");

    page.append("<h2>Throughput (records/s, job time)</h2>\n");
    double[] rates = configs.stream()
        .mapToDouble(c -> records / Benchmark.medianOf(ms, c.name(), Measurement::jobSeconds)).toArray();
    page.append(bars(configs.stream().map(Config::name).toList(), rates, "%,.0f/s",
        configs.stream().map(c -> c.name().startsWith("baseline-") ? COLORS[1] : COLORS[0]).toList()));

    if (!speedVsJava.isEmpty()) {
      page.append("<h2>Speed against each template's plain-Java baseline (its job time / the run's)</h2>\n");
      List<String> labels = new java.util.ArrayList<>();
      List<String> colors = new java.util.ArrayList<>();
      List<Double> values = new java.util.ArrayList<>();
      speedVsJava.forEach((template, speeds) -> speeds.forEach((config, speed) -> {
        if (!config.startsWith("baseline-")) {
          labels.add(template + " " + config.replace("millrace-", ""));
          values.add(speed);
          colors.add(config.endsWith("flink") ? COLORS[0] : config.endsWith("spark") ? COLORS[3] : COLORS[4]);
        }
      }));
      page.append(bars(labels, values.stream().mapToDouble(Double::doubleValue).toArray(), "%.2fx", colors));
    }

    for (Map.Entry<String, List<StreamingLatency.Result>> runner : latency.entrySet()) {
      page.append("<h2>Streaming latency on ").append(runner.getKey())
          .append(" (window end to its file committed, seconds: p50, p95, p99)</h2>\n");
      List<String> labels = new java.util.ArrayList<>();
      List<String> colors = new java.util.ArrayList<>();
      List<Double> values = new java.util.ArrayList<>();
      for (StreamingLatency.Result r : runner.getValue()) {
        String rate = String.format(Locale.ROOT, "%,.0f/s%s", r.rate(), r.sustained() ? "" : " (not sustained)");
        double[] ps = {r.p50(), r.p95(), r.p99()};
        String[] names = {"p50", "p95", "p99"};
        for (int i = 0; i < 3; i++) {
          labels.add(rate + " " + names[i]);
          values.add(Double.isNaN(ps[i]) ? 0 : ps[i] / 1000);
          colors.add(COLORS[2 + i]);
        }
      }
      page.append(bars(labels, values.stream().mapToDouble(Double::doubleValue).toArray(), "%.1f s", colors));
    }

    page.append("<h2>Resident memory over the first run (MB)</h2>\n").append(rssLines(ms, configs));
    if (!targets.isEmpty()) {
      page.append("<h2>Targets</h2>\n<table><tr><th align=left>target</th><th>this run</th><th>bound</th>"
          + "<th>verdict</th></tr>\n");
      for (Targets.Target t : targets) {
        page.append("<tr><td>").append(escape(t.name())).append("</td><td align=right>")
            .append(t.measured() ? String.format(Locale.ROOT, "%,.2f", t.value()) : "-").append("</td><td>")
            .append(escape(t.comparison())).append(' ').append(String.format(Locale.ROOT, "%,.1f", t.bound()))
            .append("</td><td>").append(!t.measured() ? "not measured: " + escape(t.unmeasuredBecause())
                : t.met() ? "met" : "<b>not met</b>").append("</td></tr>\n");
      }
      page.append("</table>\n");
    }
    return page.append("</body></html>\n").toString();
  }

  /** Horizontal bars, one per label, scaled to the largest value. */
  static String bars(List<String> labels, double[] values, String format, List<String> colors) {
    double max = java.util.Arrays.stream(values).max().orElse(1);
    int left = 190;
    int height = labels.size() * BAR + 10;
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
        "<svg width=\"%d\" height=\"%d\" role=\"img\">", WIDTH, height));
    for (int i = 0; i < labels.size(); i++) {
      double w = max > 0 ? (WIDTH - left - 90) * values[i] / max : 0;
      int y = i * BAR + 5;
      svg.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
              + "fill=\"%s\"/><text x=\"%.1f\" y=\"%d\">%s</text>",
          left - 6, y + 16, escape(labels.get(i)), left, y + 3, w, BAR - 8, colors.get(i), left + w + 4, y + 16,
          String.format(Locale.ROOT, format, values[i])));
    }
    return svg.append("</svg>\n").toString();
  }

  /** One line per configuration: RSS against seconds since its process started, run 1. */
  static String rssLines(List<Measurement> ms, List<Config> configs) {
    List<Measurement> first = ms.stream().filter(m -> m.run() == 1 && !m.rss().isEmpty()).toList();
    double maxT = first.stream().flatMap(m -> m.rss().stream()).mapToDouble(RssSample::seconds).max().orElse(1);
    double maxMb = first.stream().flatMap(m -> m.rss().stream()).mapToDouble(s -> s.rssBytes() / 1048576.0)
        .max().orElse(1);
    int left = 60;
    int top = 10;
    int plotW = WIDTH - left - 20;
    int plotH = 260;
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
        "<svg width=\"%d\" height=\"%d\" role=\"img\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
            + "fill=\"none\" stroke=\"#999\"/><text x=\"4\" y=\"%d\">%,.0f</text><text x=\"4\" y=\"%d\">0</text>"
            + "<text x=\"%d\" y=\"%d\">0 s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f s</text>",
        WIDTH, plotH + 80, left, top, plotW, plotH, top + 12, maxMb, top + plotH, left, top + plotH + 16,
        left + plotW, top + plotH + 16, maxT));
    for (int i = 0; i < first.size(); i++) {
      Measurement m = first.get(i);
      StringBuilder points = new StringBuilder();
      for (RssSample s : m.rss()) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + plotW * s.seconds() / maxT,
            top + plotH - plotH * (s.rssBytes() / 1048576.0) / maxMb));
      }
      String color = COLORS[i % COLORS.length];
      svg.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\" points=\"")
          .append(points.toString().trim()).append("\"/>");
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\">%s (peak %,d MB)</text>", left + (i % 3) * 220, top + plotH + 26 + (i / 3) * 16,
          color, left + (i % 3) * 220 + 14, top + plotH + 35 + (i / 3) * 16, escape(m.config()),
          m.peakRssBytes() >> 20));
    }
    return svg.append("</svg>\n").toString();
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
