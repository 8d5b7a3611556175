package dev.millrace.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The analytics stage's report over an output lake: the numbers as a terminal summary and as one
 * self-contained HTML file whose charts draw themselves from data embedded in the page (no network,
 * no external script or font). Every number comes from the lake's views, i.e. the last pane of each
 * window, and from the latest run summary kept under {@code _runs/}.
 */
public final class Report {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One chart: a key into the embedded data, a kind (line or bar), titles and units, the dataset it reads
   * and the column that dataset must have for it (null: any; two templates write an {@code alerts}
   * dataset), the part of the report it belongs to (null: none), and whether its values add up (counts)
   * or are levels (averages, maxima) that the summary gives as a range.
   */
  record Chart(String key, String kind, String title, String xLabel, String yLabel, String dataset, String column,
      String part, boolean additive) {
    Chart(String key, String kind, String title, String xLabel, String yLabel, String dataset) {
      this(key, kind, title, xLabel, yLabel, dataset, null, null, true);
    }
  }

  static final String MAINTENANCE = "Predictive maintenance";
  static final String PATIENTS = "Patient monitoring";
  static final String CAMPAIGNS = "Campaign analytics";
  /** Each part -> its entry in the embedded data (the numbers of its one-line summary). */
  static final Map<String, String> PART_KEYS =
      Map.of(MAINTENANCE, "maintenance", PATIENTS, "patients", CAMPAIGNS, "campaigns");

  static final List<Chart> CHARTS = List.of(
      new Chart("events_per_window", "line", "Events per window", "window start (UTC)", "events", "page_stats"),
      new Chart("revenue_per_window", "line", "Revenue per window", "window start (UTC)", "revenue", "page_stats"),
      new Chart("top_pages", "bar", "Top pages", "page", "events", "page_stats"),
      new Chart("requests_per_window", "line", "Requests per window", "window start (UTC)", "requests", "traffic_stats"),
      new Chart("status_mix", "bar", "Status mix", "status class", "requests", "traffic_stats"),
      new Chart("top_paths", "bar", "Top paths (from each window's top list)", "path", "requests", "top_paths"),
      new Chart("alerts_per_window", "line", "Fraud alerts per window", "window start (UTC)", "alerts", "fraud_stats"),
      new Chart("alerts_by_reason", "bar", "Fraud alerts by reason", "reason", "alerts", "alerts", "reasons", null, true),
      new Chart("device_temperature_per_window", "line", "Device health over time: avg temperature",
          "window start (UTC)", "avg temperature (\u00b0C), mean over devices", "device_health", null, MAINTENANCE, false),
      new Chart("device_vibration_per_window", "line", "Device health over time: max vibration",
          "window start (UTC)", "max vibration (mm/s), over devices", "device_health", null, MAINTENANCE, false),
      new Chart("alerts_per_type", "bar", "Alerts per type", "alert", "alerts", "alerts", "alert", MAINTENANCE, true),
      new Chart("alerts_per_site", "bar", "Alerts per site", "site", "alerts", "alerts", "alert", MAINTENANCE, true),
      new Chart("vitals_heart_rate_per_window", "line", "Vitals over time: avg heart rate", "window start (UTC)",
          "avg heart rate (beats/min), mean over patients", "vitals_stats", null, PATIENTS, false),
      new Chart("vitals_spo2_per_window", "line", "Vitals over time: min SpO2", "window start (UTC)",
          "min SpO2 (%), over patients", "vitals_stats", null, PATIENTS, false),
      new Chart("notifications_per_kind", "bar", "Notifications per kind", "kind", "notifications", "notifications",
          "kind", PATIENTS, true),
      new Chart("distance_per_window", "line", "Max distance from home per window", "window start (UTC)",
          "max distance from home (m), over patients", "vitals_stats", null, PATIENTS, false),
      new Chart("patients_by_distance", "bar", "Patients by farthest distance (top 10)", "patient",
          "max distance from home (m)", "vitals_stats", null, PATIENTS, false),
      new Chart("campaign_spend_per_window", "line", "Spend per campaign over time", "window start (UTC)",
          "spend (sum of cost_micros / 1e6)", "campaign_stats", null, CAMPAIGNS, true),
      new Chart("campaign_revenue_per_window", "line", "Revenue per campaign over time", "window start (UTC)",
          "revenue of attributed conversions", "campaign_stats", null, CAMPAIGNS, true),
      new Chart("campaign_roas_per_window", "line", "ROAS per campaign over time", "window start (UTC)",
          "ROAS (revenue / spend)", "campaign_stats", null, CAMPAIGNS, false),
      new Chart("roas_per_campaign", "bar", "ROAS per campaign (whole run)", "campaign", "revenue / spend",
          "campaign_stats", null, CAMPAIGNS, false),
      new Chart("funnel_per_segment", "bar", "Conversion funnel per segment: impressions, clicks, conversions",
          "segment: stage", "events", "audience_stats", null, CAMPAIGNS, true),
      new Chart("ctr_per_segment", "bar", "Click-through rate per segment", "segment", "clicks per impression (%)",
          "audience_stats", null, CAMPAIGNS, false),
      new Chart("cvr_per_segment", "bar", "Conversion rate per segment", "segment", "conversions per click (%)",
          "audience_stats", null, CAMPAIGNS, false),
      new Chart("orphans_by_reason", "bar", "Orphan clicks by reason", "reason", "clicks", "orphans", "reason",
          CAMPAIGNS, true),
      new Chart("dead_letters_by_reason", "bar", "Dead letters by reason", "reason", "records", "dead_letter"));

  private final OutputLake lake;
  private final String source;
  private final ObjectNode data = JSON.createObjectNode();
  private final Map<String, List<String>> columns = new HashMap<>();
  private JsonNode run;

  public Report(OutputLake lake, String source) throws SQLException, IOException {
    this.lake = lake;
    this.source = source;
    collect();
  }

  /** The embedded data: one entry per chart with data, plus the run's accounting. */
  public ObjectNode data() {
    return data;
  }

  private void collect() throws SQLException, IOException {
    List<String> datasets = lake.datasets();
    for (String dataset : datasets) {
      columns.put(dataset, lake.columns(dataset));
    }
    if (datasets.contains("page_stats")) {
      series("events_per_window", "SELECT window_start, sum(events) FROM page_stats GROUP BY 1 ORDER BY 1");
      series("revenue_per_window", "SELECT window_start, round(sum(revenue), 2) FROM page_stats GROUP BY 1 ORDER BY 1");
      bars("top_pages", "SELECT page, sum(events) AS n FROM page_stats GROUP BY 1 ORDER BY n DESC, page LIMIT 10");
    }
    if (datasets.contains("traffic_stats")) {
      series("requests_per_window", "SELECT window_start, sum(requests) FROM traffic_stats GROUP BY 1 ORDER BY 1");
      bars("status_mix", "SELECT * FROM (VALUES ('2xx', (SELECT sum(status_2xx) FROM traffic_stats)),"
          + " ('3xx', (SELECT sum(status_3xx) FROM traffic_stats)), ('4xx', (SELECT sum(status_4xx) FROM traffic_stats)),"
          + " ('5xx', (SELECT sum(status_5xx) FROM traffic_stats)))");
    }
    if (datasets.contains("top_paths")) {
      bars("top_paths", "SELECT path, sum(requests) AS n FROM top_paths GROUP BY 1 ORDER BY n DESC, path LIMIT 10");
    }
    if (datasets.contains("fraud_stats")) {
      series("alerts_per_window", "SELECT window_start, sum(flagged) FROM fraud_stats GROUP BY 1 ORDER BY 1");
    }
    if (has("alerts", "reasons")) {
      bars("alerts_by_reason", "SELECT reason, count(*) AS n FROM (SELECT unnest(reasons) AS reason FROM alerts)"
          + " GROUP BY 1 ORDER BY n DESC, reason");
    }
    boolean health = datasets.contains("device_health");
    boolean maintenanceAlerts = has("alerts", "alert");
    if (health || maintenanceAlerts) {
      ObjectNode part = data.putObject("maintenance");
      if (health) {
        series("device_temperature_per_window",
            "SELECT window_start, avg(avg_temperature_c) FROM device_health GROUP BY 1 ORDER BY 1");
        series("device_vibration_per_window",
            "SELECT window_start, max(max_vibration_mm_s) FROM device_health GROUP BY 1 ORDER BY 1");
        part.put("devices", scalar("SELECT count(DISTINCT device_id) FROM device_health"));
        part.put("sites", scalar("SELECT count(DISTINCT site) FROM device_health"));
        part.put("windows", scalar("SELECT count(DISTINCT window_start) FROM device_health"));
        part.put("rows", scalar("SELECT count(*) FROM device_health"));
      }
      if (maintenanceAlerts) {
        bars("alerts_per_type", "SELECT alert, count(*) AS n FROM alerts GROUP BY 1 ORDER BY n DESC, alert");
        bars("alerts_per_site", "SELECT coalesce(site, '(no site)') AS s, count(*) AS n FROM alerts GROUP BY 1"
            + " ORDER BY n DESC, s");
        part.put("alerts", scalar("SELECT count(*) FROM alerts"));
      }
    }
    boolean vitals = datasets.contains("vitals_stats");
    boolean notifications = has("notifications", "kind");
    if (vitals || notifications) {
      ObjectNode part = data.putObject("patients");
      if (vitals) {
        series("vitals_heart_rate_per_window",
            "SELECT window_start, avg(avg_heart_rate) FROM vitals_stats GROUP BY 1 ORDER BY 1");
        series("vitals_spo2_per_window", "SELECT window_start, min(min_spo2) FROM vitals_stats GROUP BY 1 ORDER BY 1");
        series("distance_per_window", "SELECT window_start, max(max_distance_m) FROM vitals_stats GROUP BY 1 ORDER BY 1");
        bars("patients_by_distance", "SELECT patient_id, max(max_distance_m) AS d FROM vitals_stats GROUP BY 1"
            + " ORDER BY d DESC, patient_id LIMIT 10");
        part.put("patients", scalar("SELECT count(DISTINCT patient_id) FROM vitals_stats"));
        part.put("windows", scalar("SELECT count(DISTINCT window_start) FROM vitals_stats"));
        part.put("rows", scalar("SELECT count(*) FROM vitals_stats"));
      }
      if (notifications) {
        bars("notifications_per_kind", "SELECT kind, count(*) AS n FROM notifications GROUP BY 1 ORDER BY n DESC, kind");
        part.put("notifications", scalar("SELECT count(*) FROM notifications"));
      }
    }
    boolean campaigns = datasets.contains("campaign_stats");
    boolean audience = datasets.contains("audience_stats");
    if (campaigns || audience) {
      ObjectNode part = data.putObject("campaigns");
      if (campaigns) {
        multiSeries("campaign_spend_per_window",
            "SELECT window_start, campaign_id, sum(spend) FROM campaign_stats GROUP BY 1, 2 ORDER BY 1, 2",
            "SELECT window_start, sum(spend) FROM campaign_stats GROUP BY 1 ORDER BY 1");
        multiSeries("campaign_revenue_per_window",
            "SELECT window_start, campaign_id, sum(revenue) FROM campaign_stats GROUP BY 1, 2 ORDER BY 1, 2",
            "SELECT window_start, sum(revenue) FROM campaign_stats GROUP BY 1 ORDER BY 1");
        multiSeries("campaign_roas_per_window",
            "SELECT window_start, campaign_id, coalesce(roas, 0) FROM campaign_stats ORDER BY 1, 2",
            "SELECT window_start, CASE WHEN sum(spend) > 0 THEN sum(revenue) / sum(spend) ELSE 0 END"
                + " FROM campaign_stats GROUP BY 1 ORDER BY 1");
        bars("roas_per_campaign", "SELECT campaign_id, CASE WHEN sum(spend) > 0 THEN sum(revenue) / sum(spend) ELSE 0 END"
            + " AS r FROM campaign_stats GROUP BY 1 ORDER BY r DESC, campaign_id");
        part.put("campaigns", scalar("SELECT count(DISTINCT campaign_id) FROM campaign_stats"));
        part.put("windows", scalar("SELECT count(DISTINCT window_start) FROM campaign_stats"));
        part.put("impressions", scalar("SELECT coalesce(sum(impressions), 0) FROM campaign_stats"));
        part.put("clicks", scalar("SELECT coalesce(sum(clicks), 0) FROM campaign_stats"));
        part.put("conversions", scalar("SELECT coalesce(sum(conversions), 0) FROM campaign_stats"));
        part.put("spend_cents", scalar("SELECT coalesce(round(sum(spend) * 100), 0) FROM campaign_stats"));
        part.put("revenue_cents", scalar("SELECT coalesce(round(sum(revenue) * 100), 0) FROM campaign_stats"));
      }
      if (audience) {
        bars("funnel_per_segment", "SELECT segment || ': ' || stage, n FROM (SELECT segment, 1 AS o, 'impressions' AS"
            + " stage, sum(impressions) AS n FROM audience_stats GROUP BY 1 UNION ALL SELECT segment, 2, 'clicks',"
            + " sum(clicks) FROM audience_stats GROUP BY 1 UNION ALL SELECT segment, 3, 'conversions', sum(conversions)"
            + " FROM audience_stats GROUP BY 1) ORDER BY segment, o");
        bars("ctr_per_segment", "SELECT segment, CASE WHEN sum(impressions) > 0 THEN 100.0 * sum(clicks) /"
            + " sum(impressions) ELSE 0 END AS r FROM audience_stats GROUP BY 1 ORDER BY r DESC, segment");
        bars("cvr_per_segment", "SELECT segment, CASE WHEN sum(clicks) > 0 THEN 100.0 * sum(conversions) / sum(clicks)"
            + " ELSE 0 END AS r FROM audience_stats GROUP BY 1 ORDER BY r DESC, segment");
      }
      if (has("orphans", "reason")) {
        bars("orphans_by_reason", "SELECT reason, count(*) AS n FROM orphans GROUP BY 1 ORDER BY n DESC, reason");
      }
    }
    if (datasets.contains("dead_letter")) {
      bars("dead_letters_by_reason", "SELECT error, count(*) AS n FROM dead_letter GROUP BY 1 ORDER BY n DESC, error");
    }
    run = latestRun(lake.root().resolve("_runs"));
    if (run != null) {
      data.set("run", run);
    }
  }

  /** Whether the output has the dataset, with the column when one is named. */
  private boolean has(String dataset, String column) {
    List<String> of = columns.get(dataset);
    return of != null && (column == null || of.contains(column));
  }

  private long scalar(String sql) throws SQLException {
    try (Statement s = lake.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** One sentence on the predictive-maintenance datasets, or null when the output has neither. */
  String maintenanceSummary() {
    JsonNode m = data.get("maintenance");
    if (m == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    if (m.has("devices")) {
      out.append(String.format("%,d devices at %,d sites, %,d windows (%,d device-window rows)", m.get("devices").asLong(),
          m.get("sites").asLong(), m.get("windows").asLong(), m.get("rows").asLong()));
    } else {
      out.append("no device_health dataset");
    }
    if (m.has("alerts")) {
      out.append(String.format("; %,d alerts", m.get("alerts").asLong()));
      JsonNode types = data.get("alerts_per_type");
      for (int i = 0; i < types.get("x").size(); i++) {
        out.append(i == 0 ? ": " : ", ").append(types.get("x").get(i).asText())
            .append(String.format(" %,.0f", types.get("y").get(i).asDouble()));
      }
    } else {
      out.append("; no maintenance alerts");
    }
    return out.toString();
  }

  /** One sentence on the patient-monitoring datasets, or null when the output has neither. */
  String patientsSummary() {
    JsonNode m = data.get("patients");
    if (m == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    if (m.has("patients")) {
      out.append(String.format("%,d patients, %,d windows (%,d patient-window rows)", m.get("patients").asLong(),
          m.get("windows").asLong(), m.get("rows").asLong()));
    } else {
      out.append("no vitals_stats dataset");
    }
    if (m.has("notifications")) {
      out.append(String.format("; %,d notifications", m.get("notifications").asLong()));
      JsonNode kinds = data.get("notifications_per_kind");
      for (int i = 0; i < kinds.get("x").size(); i++) {
        out.append(i == 0 ? ": " : ", ").append(kinds.get("x").get(i).asText())
            .append(String.format(" %,.0f", kinds.get("y").get(i).asDouble()));
      }
    } else {
      out.append("; no notifications dataset");
    }
    return out.toString();
  }

  /** One sentence on the campaign-analytics datasets, or null when the output has neither stats dataset. */
  String campaignsSummary() {
    JsonNode m = data.get("campaigns");
    if (m == null) {
      return null;
    }
    if (!m.has("campaigns")) {
      return "no campaign_stats dataset";
    }
    long impressions = m.get("impressions").asLong();
    long clicks = m.get("clicks").asLong();
    double spend = m.get("spend_cents").asLong() / 100.0;
    double revenue = m.get("revenue_cents").asLong() / 100.0;
    return String.format("%,d campaigns over %,d windows: %,d impressions, %,d attributed clicks (CTR %.2f%%), %,d "
        + "attributed conversions; spend %,.2f, revenue %,.2f (ROAS %.2f)", m.get("campaigns").asLong(),
        m.get("windows").asLong(), impressions, clicks, impressions == 0 ? 0 : 100.0 * clicks / impressions,
        m.get("conversions").asLong(), spend, revenue, spend == 0 ? 0 : revenue / spend);
  }

  /** The one-line summary of a part, or null when the output has none of its datasets. */
  String partSummary(String part) {
    return MAINTENANCE.equals(part) ? maintenanceSummary() : PATIENTS.equals(part) ? patientsSummary()
        : CAMPAIGNS.equals(part) ? campaignsSummary() : null;
  }

  private void series(String key, String sql) throws SQLException {
    ObjectNode chart = data.putObject(key);
    ArrayNode x = chart.putArray("x");
    ArrayNode y = chart.putArray("y");
    try (Statement s = lake.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        x.add(String.valueOf(rs.getObject(1)).replace("+00:00", "Z"));
        y.add(rs.getDouble(2));
      }
    }
  }

  /**
   * A line chart of several series (one per campaign): {@code seriesSql} gives (x, series, value) rows,
   * {@code totalSql} the (x, value) the terminal summary reads as the chart's {@code y}.
   */
  private void multiSeries(String key, String seriesSql, String totalSql) throws SQLException {
    series(key, totalSql);
    ObjectNode chart = (ObjectNode) data.get(key);
    Map<String, Integer> xs = new java.util.HashMap<>();
    for (int i = 0; i < chart.get("x").size(); i++) {
      xs.put(chart.get("x").get(i).asText(), i);
    }
    ObjectNode series = chart.putObject("series");
    try (Statement s = lake.connection().createStatement(); ResultSet rs = s.executeQuery(seriesSql)) {
      while (rs.next()) {
        String name = String.valueOf(rs.getObject(2));
        ArrayNode values = series.has(name) ? (ArrayNode) series.get(name) : series.putArray(name);
        while (values.size() < xs.size()) {
          values.add(0.0);
        }
        Integer at = xs.get(String.valueOf(rs.getObject(1)).replace("+00:00", "Z"));
        if (at != null) {
          values.set(at, JSON.getNodeFactory().numberNode(rs.getDouble(3)));
        }
      }
    }
  }

  private void bars(String key, String sql) throws SQLException {
    ObjectNode chart = data.putObject(key);
    ArrayNode labels = chart.putArray("x");
    ArrayNode values = chart.putArray("y");
    try (Statement s = lake.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        labels.add(String.valueOf(rs.getObject(1)));
        values.add(rs.getDouble(2));
      }
    }
  }

  private static JsonNode latestRun(Path runs) throws IOException {
    if (!Files.isDirectory(runs)) {
      return null;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(runs)) {
      files = list.filter(f -> f.toString().endsWith(".json")).sorted().collect(Collectors.toList());
    }
    return files.isEmpty() ? null : JSON.readTree(files.get(files.size() - 1).toFile());
  }

  /** The terminal summary. */
  public String summary() {
    StringBuilder out = new StringBuilder("Report on " + source + "\n");
    if (run != null) {
      JsonNode c = run.get("counters");
      out.append(String.format("  run: %s, %s in %.1f s, accounting %s%n", run.get("template").asText(),
          run.get("state").asText(), run.get("seconds").asDouble(), run.get("balances").asBoolean() ? "balances" : "DOES NOT BALANCE"));
      for (String[] line : accountingLines(c)) {
        out.append(String.format("  %-26s %,14d%n", line[0], Long.parseLong(line[1])));
      }
    } else {
      out.append("  (no run summary under _runs/: the output was not written by bin/millrace)\n");
    }
    for (String part : List.of(MAINTENANCE, PATIENTS, CAMPAIGNS)) {
      if (partSummary(part) != null) {
        out.append("  ").append(part.toLowerCase()).append(": ").append(partSummary(part)).append('\n');
      }
    }
    for (Chart chart : CHARTS) {
      JsonNode d = data.get(chart.key());
      if (d == null || d.get("x").isEmpty()) {
        continue;
      }
      if (!chart.additive()) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (JsonNode v : d.get("y")) {
          min = Math.min(min, v.asDouble());
          max = Math.max(max, v.asDouble());
        }
        out.append(String.format("  %-42s %14s over %d %s%n", chart.title(),
            String.format("%,.2f .. %,.2f", min, max), d.get("x").size(), chart.kind().equals("line") ? "windows" : "rows"));
        if (chart.kind().equals("bar")) {
          for (int i = 0; i < Math.min(3, d.get("x").size()); i++) {
            out.append(String.format("      %-36s %,14.2f%n", d.get("x").get(i).asText(), d.get("y").get(i).asDouble()));
          }
        }
        continue;
      }
      double total = 0;
      boolean whole = true;
      for (JsonNode v : d.get("y")) {
        total += v.asDouble();
        whole &= v.asDouble() == Math.rint(v.asDouble());
      }
      out.append(String.format(whole ? "  %-42s %,14.0f over %d %s%n" : "  %-42s %,14.2f over %d %s%n",
          chart.title() + " (total " + chart.yLabel() + ")", total, d.get("x").size(),
          chart.kind().equals("line") ? "windows" : "rows"));
      if (chart.kind().equals("bar")) {
        for (int i = 0; i < Math.min(3, d.get("x").size()); i++) {
          out.append(String.format("      %-36s %,14.0f%n", d.get("x").get(i).asText(), d.get("y").get(i).asDouble()));
        }
      }
    }
    return out.toString();
  }

  static List<String[]> accountingLines(JsonNode counters) {
    List<String[]> lines = new ArrayList<>();
    String[][] names = {{"records read", "records_read"}, {"parsed", "records_parsed"},
        {"duplicates dropped", "duplicates_dropped"}, {"dropped as too late", "droppedduetolateness"},
        {"blank lines skipped", "blank_lines_skipped"}, {"dead letters written", "dead_letters_written"}};
    for (String[] n : names) {
      if (counters.has(n[1])) {
        lines.add(new String[] {n[0], counters.get(n[1]).asText()});
      }
    }
    long deadLettered = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = counters.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith("dead_letter.")) {
        deadLettered += e.getValue().asLong();
      } else if (e.getKey().startsWith("rows_written.")) {
        lines.add(new String[] {e.getKey().substring("rows_written.".length()) + " rows written", e.getValue().asText()});
      }
    }
    lines.add(2, new String[] {"dead-lettered", String.valueOf(deadLettered)});
    return lines;
  }

  /** The self-contained HTML page. */
  public String html() throws IOException {
    StringBuilder body = new StringBuilder();
    body.append("<h1>Millrace report</h1>\n<p class=\"meta\">").append(escape(source)).append(" &middot; datasets: ")
        .append(escape(lake.datasets().isEmpty() ? "none" : String.join(", ", lake.datasets()))).append("</p>\n");
    body.append("<section id=\"accounting\"><h2>Accounting of the run</h2>\n");
    if (run != null) {
      body.append("<p>").append(escape(run.get("template").asText())).append(", ").append(escape(run.get("state").asText()))
          .append(String.format(" in %.1f s; ", run.get("seconds").asDouble()))
          .append(run.get("balances").asBoolean() ? "every record is accounted for" : "<b>the accounting does not balance</b>")
          .append("</p>\n<table>");
      for (String[] line : accountingLines(run.get("counters"))) {
        body.append("<tr><th>").append(escape(line[0])).append("</th><td data-counter=\"").append(escape(line[0])).append("\">")
            .append(String.format("%,d", Long.parseLong(line[1]))).append("</td></tr>");
      }
      body.append("</table>\n");
    } else {
      body.append("<p class=\"empty\">No run summary: this output was not written by bin/millrace.</p>\n");
    }
    body.append("</section>\n");
    StringBuilder empty = new StringBuilder();
    String part = null;
    for (Chart chart : CHARTS) {
      if (!Objects.equals(chart.part(), part)) {
        if (part != null) {
          body.append("</section>\n");
        }
        // A part opens when the output has its datasets; its charts without data are listed at the end.
        part = partSummary(chart.part()) != null ? chart.part() : null;
        if (part != null) {
          body.append("<section class=\"part\" id=\"").append(part.toLowerCase().replace(' ', '-')).append("\"><h2>")
              .append(escape(part)).append("</h2>\n<p class=\"meta\" data-part-summary=\"").append(PART_KEYS.get(part))
              .append("\">").append(escape(partSummary(part))).append(".</p>\n");
        }
      }
      JsonNode d = data.get(chart.key());
      if (d == null || d.get("x").isEmpty()) {
        // Charts without data are listed once at the end, each saying why.
        empty.append("<li class=\"empty\" data-empty=\"").append(chart.key()).append("\">")
            .append(escape(chart.title())).append(". No data: ")
            .append(!lake.datasets().contains(chart.dataset()) ? "this output has no " + chart.dataset() + " dataset."
                : !has(chart.dataset(), chart.column()) ? "this output's " + chart.dataset()
                    + " dataset is another template's (it has no " + chart.column() + " column)."
                : "the dataset " + chart.dataset() + " has no rows.")
            .append("</li>");
        continue;
      }
      body.append("<section><h2>").append(escape(chart.title())).append("</h2>")
          .append(String.format("<div class=\"chart\" data-chart=\"%s\" data-key=\"%s\" data-x=\"%s\" data-y=\"%s\"></div>",
              chart.kind(), chart.key(), escape(chart.xLabel()), escape(chart.yLabel())))
          .append("</section>\n");
    }
    if (part != null) {
      body.append("</section>\n");
    }
    if (empty.length() > 0) {
      body.append("<section id=\"empty\"><h2>Not in this output</h2><ul>").append(empty).append("</ul></section>\n");
    }
    String page = resource("report.html");
    return page.replace("/*DATA*/{}", JSON.writeValueAsString(data).replace("</", "<\\/"))
        .replace("<!--BODY-->", body.toString())
        .replace("/*SCRIPT*/", resource("report.js"));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = Report.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
