package dev.millrace.analytics;

import static dev.millrace.analytics.OutputLakeTest.assertRendered;
import static dev.millrace.analytics.OutputLakeTest.lastPanes;
import static dev.millrace.analytics.OutputLakeTest.local;
import static dev.millrace.analytics.OutputLakeTest.query;
import static dev.millrace.analytics.OutputLakeTest.toMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.pipelines.fraud.FraudDetection;
import dev.millrace.pipelines.fraud.FraudDetectionOptions;
import dev.millrace.testing.TemplateRuns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics stage over predictive-maintenance's datasets: {@code device_health} (sliding windows, with
 * panes) keeps the last pane of each (window, device), the report's maintenance part draws its charts with
 * the Parquet files' numbers, and the two templates' {@code alerts} datasets (fraud-detection's has
 * {@code reasons}, predictive-maintenance's {@code alert}) each get only their own charts.
 */
class PredictiveMaintenanceReportTest {
  @TempDir static Path dir;
  static Path maintenance;
  static Path fraud;

  static final Instant FIRST_WINDOW = Instant.parse("2026-11-27T10:45:00Z");
  static final int WINDOWS = 25;
  static final long WINDOW_MILLIS = 10 * 60_000L;
  static final String[][] DEVICES = {{"pump-1", "north", "P100"}, {"pump-2", "north", "P100"},
      {"fan-3", "south", "F20"}, {"stray-9", null, null}};
  /** The (window, device) with three panes: EARLY, ON_TIME, LATE. */
  static final Instant THREE_PANES = FIRST_WINDOW.plusSeconds(10 * 60);

  static final Schema TIMESTAMP = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
  static final Schema DEVICE_HEALTH = SchemaBuilder.record("DeviceHealth").fields()
      .requiredString("device_id")
      .name("window_start").type(TIMESTAMP).noDefault()
      .name("window_end").type(TIMESTAMP).noDefault()
      .requiredLong("readings")
      .requiredDouble("avg_temperature_c").requiredDouble("max_temperature_c")
      .requiredDouble("avg_vibration_mm_s").requiredDouble("max_vibration_mm_s")
      .requiredDouble("avg_rpm").optionalDouble("vibration_slope")
      .optionalString("site").optionalString("model")
      .requiredLong("pane_index").requiredString("pane_timing")
      .endRecord();
  static final Schema ALERT = SchemaBuilder.record("MaintenanceAlert").fields()
      .requiredString("device_id").requiredString("alert")
      .name("event_time").type(TIMESTAMP).noDefault()
      .optionalString("site").optionalString("model").requiredString("detail")
      .endRecord();

  @BeforeAll
  static void writeOutputs() throws Exception {
    maintenance = dir.resolve("maintenance");
    writeDeviceHealth(maintenance.resolve("device_health"));
    writeAlerts(maintenance.resolve("alerts"));
    fraud = dir.resolve("fraud");
    FraudDetection.run(PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
        "--maxEvents=3000", "--malformedFraction=0.02",
        "--syntheticAccounts=500", "--output=" + fraud)).as(FraudDetectionOptions.class)).waitUntilFinish();
  }

  /**
   * Sliding windows one minute apart, crossing an hour partition, one file per window and pane as the
   * template names them. Each device skips some windows; every fifth window gets a LATE pane with other
   * numbers; one (window, device) has three panes; some slopes are null and one device is unregistered.
   */
  static void writeDeviceHealth(Path dataset) throws IOException {
    for (int k = 0; k < WINDOWS; k++) {
      Instant start = FIRST_WINDOW.plusSeconds(60L * k);
      Map<Integer, List<GenericRecord>> panes = new TreeMap<>();
      for (int d = 0; d < DEVICES.length; d++) {
        if ((k + d) % 7 == 5) {
          continue; // no readings in this window
        }
        boolean three = start.equals(THREE_PANES) && d == 0;
        int last = three ? 2 : k % 5 == 0 ? 1 : 0;
        for (int pane = 0; pane <= last; pane++) {
          String timing = pane == last && pane > 0 ? "LATE" : three && pane == 0 ? "EARLY" : "ON_TIME";
          panes.computeIfAbsent(pane, p -> new ArrayList<>()).add(health(DEVICES[d], start, d, k, pane, timing));
        }
      }
      for (Map.Entry<Integer, List<GenericRecord>> pane : panes.entrySet()) {
        write(dataset, DEVICE_HEALTH, start, "device_health-" + compact(start) + "-" + compact(start.plusMillis(WINDOW_MILLIS))
            + "-p" + pane.getKey() + "-00000-of-00001.parquet", pane.getValue());
      }
    }
  }

  static GenericRecord health(String[] device, Instant start, int d, int k, int pane, String timing) {
    GenericRecord r = new GenericData.Record(DEVICE_HEALTH);
    r.put("device_id", device[0]);
    r.put("window_start", start.toEpochMilli());
    r.put("window_end", start.toEpochMilli() + WINDOW_MILLIS);
    r.put("readings", 10L + d + k % 4 + pane);
    r.put("avg_temperature_c", 40.0 + 3.25 * d + 0.5 * k + 2.0 * pane);
    r.put("max_temperature_c", 45.0 + 3.25 * d + 0.5 * k + 2.0 * pane);
    r.put("avg_vibration_mm_s", 2.0 + 0.1 * d + 0.05 * k + 0.3 * pane);
    r.put("max_vibration_mm_s", 3.0 + 0.7 * d + 0.11 * k + 1.5 * pane);
    r.put("avg_rpm", 1450.0 + 10 * d + k);
    r.put("vibration_slope", k % 6 == 0 ? null : 0.01 * (k - 12) + 0.1 * pane);
    r.put("site", device[1]);
    r.put("model", device[2]);
    r.put("pane_index", (long) pane);
    r.put("pane_timing", timing);
    return r;
  }

  static void writeAlerts(Path dataset) throws IOException {
    String[][] alerts = {{"pump-1", "overheat", "0"}, {"pump-1", "vibration_spike", "2"}, {"pump-1", "vibration_spike", "7"},
        {"pump-1", "degrading", "9"}, {"pump-2", "offline", "12"}, {"fan-3", "overheat", "14"}, {"fan-3", "offline", "30"},
        {"fan-3", "vibration_spike", "31"}};
    List<GenericRecord> rows = new ArrayList<>();
    for (String[] a : alerts) {
      String[] device = java.util.Arrays.stream(DEVICES).filter(d -> d[0].equals(a[0])).findFirst().orElseThrow();
      GenericRecord r = new GenericData.Record(ALERT);
      r.put("device_id", a[0]);
      r.put("alert", a[1]);
      r.put("event_time", FIRST_WINDOW.plusSeconds(60L * Integer.parseInt(a[2])).toEpochMilli());
      r.put("site", device[1]);
      r.put("model", device[2]);
      r.put("detail", a[1] + " on " + a[0]);
      rows.add(r);
    }
    write(dataset, ALERT, FIRST_WINDOW, "alerts-" + compact(FIRST_WINDOW) + "-" + compact(FIRST_WINDOW.plusSeconds(10))
        + "-p0-00000-of-00001.parquet", rows);
  }

  static String compact(Instant t) {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(t);
  }

  @SuppressWarnings("deprecation") // the Hadoop path builder: parquet 1.13 has no local OutputFile
  static void write(Path dataset, Schema schema, Instant partition, String name, List<GenericRecord> rows)
      throws IOException {
    Path file = dataset.resolve(DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd/'hour='HH").withZone(ZoneOffset.UTC)
        .format(partition)).resolve(name);
    Files.createDirectories(file.getParent());
    try (ParquetWriter<GenericRecord> writer =
        AvroParquetWriter.<GenericRecord>builder(new org.apache.hadoop.fs.Path(file.toUri())).withSchema(schema).build()) {
      for (GenericRecord r : rows) {
        writer.write(r);
      }
    }
  }

  @Test
  void deviceHealthKeepsTheLastPaneOfEachWindowAndDevice() throws Exception {
    List<GenericRecord> files = LocalParquetFiles.readAll(maintenance.resolve("device_health"));
    List<GenericRecord> last = lastPanes(maintenance.resolve("device_health"), "window_start", "device_id");
    assertThat(files.size()).isGreaterThan(last.size());
    List<String> expected = last.stream()
        .map(r -> r.get("window_start") + "|" + r.get("device_id") + "|" + r.get("readings") + "|" + r.get("avg_temperature_c")
            + "|" + r.get("vibration_slope") + "|" + r.get("site") + "|" + r.get("pane_index") + "|" + r.get("pane_timing") + "|")
        .sorted().collect(Collectors.toList());
    try (OutputLake lake = OutputLake.open(maintenance.toString(), local())) {
      assertThat(lake.datasets()).containsExactly("alerts", "device_health");
      assertThat(query(lake, "SELECT window_start, device_id, readings, avg_temperature_c, vibration_slope, site,"
          + " pane_index, pane_timing FROM device_health")).isEqualTo(expected);
      assertThat(query(lake, "SELECT device_id, pane_index, pane_timing, readings FROM device_health WHERE window_start = "
          + "TIMESTAMPTZ '" + THREE_PANES + "' AND device_id = 'pump-1'")).containsExactly("pump-1|2|LATE|14|");
      // Sliding windows overlap: the key is the window and the device, never the window alone.
      assertThat(query(lake, "SELECT count(*) FROM device_health WHERE window_start = TIMESTAMPTZ '" + FIRST_WINDOW + "'"))
          .containsExactly("4|");
      assertThat(lake.columns("alerts")).contains("alert").doesNotContain("reasons");
      assertThat(lake.columns("sessions")).isEmpty();
      assertThat(query(lake, "SELECT device_id, alert, event_time FROM alerts"))
          .isEqualTo(LocalParquetFiles.rows(maintenance.resolve("alerts"), "device_id", "alert", "event_time"));
    }
  }

  @Test
  void theMaintenancePartDrawsTheParquetFilesNumbers() throws Exception {
    Map<String, List<GenericRecord>> perWindow = new TreeMap<>();
    Set<String> devices = new HashSet<>();
    Set<String> sites = new HashSet<>();
    List<GenericRecord> last = lastPanes(maintenance.resolve("device_health"), "window_start", "device_id");
    for (GenericRecord r : last) {
      perWindow.computeIfAbsent(Instant.ofEpochMilli((Long) r.get("window_start")).toString(), w -> new ArrayList<>()).add(r);
      devices.add(r.get("device_id").toString());
      if (r.get("site") != null) {
        sites.add(r.get("site").toString());
      }
    }
    Map<String, Double> perType = new TreeMap<>();
    Map<String, Double> perSite = new TreeMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(maintenance.resolve("alerts"))) {
      perType.merge(r.get("alert").toString(), 1.0, Double::sum);
      perSite.merge(String.valueOf(r.get("site")), 1.0, Double::sum);
    }
    try (OutputLake lake = OutputLake.open(maintenance.toString(), local())) {
      Report report = new Report(lake, maintenance.toString());
      JsonNode data = report.data();
      JsonNode temperature = data.get("device_temperature_per_window");
      JsonNode vibration = data.get("device_vibration_per_window");
      assertThat(temperature.get("x").size()).isEqualTo(WINDOWS).isEqualTo(perWindow.size());
      int i = 0;
      for (Map.Entry<String, List<GenericRecord>> w : perWindow.entrySet()) {
        assertThat(OffsetDateTime.parse(temperature.get("x").get(i).asText()).toInstant().toString()).isEqualTo(w.getKey());
        assertThat(temperature.get("y").get(i).asDouble()).as(w.getKey()).isCloseTo(
            w.getValue().stream().mapToDouble(r -> (Double) r.get("avg_temperature_c")).average().orElseThrow(), within(1e-9));
        assertThat(vibration.get("y").get(i).asDouble()).as(w.getKey()).isEqualTo(
            w.getValue().stream().mapToDouble(r -> (Double) r.get("max_vibration_mm_s")).max().orElseThrow());
        i++;
      }
      assertThat(toMap(data.get("alerts_per_type"))).isEqualTo(perType);
      assertThat(toMap(data.get("alerts_per_site"))).isEqualTo(perSite);
      assertThat(data.has("alerts_by_reason")).as("fraud's chart on maintenance alerts").isFalse();
      JsonNode part = data.get("maintenance");
      assertThat(part.get("devices").asLong()).isEqualTo(devices.size());
      assertThat(part.get("sites").asLong()).isEqualTo(sites.size());
      assertThat(part.get("windows").asLong()).isEqualTo(perWindow.size());
      assertThat(part.get("rows").asLong()).isEqualTo(last.size());
      assertThat(part.get("alerts").asLong()).isEqualTo(8);

      assertThat(report.summary()).contains(
          "predictive maintenance: 4 devices at 2 sites, 25 windows (" + last.size() + " device-window rows); 8 alerts:"
              + " vibration_spike 3, offline 2, overheat 2, degrading 1",
          "Device health over time: avg temperature", "Alerts per site (total alerts)");

      Path html = dir.resolve("maintenance-report.html");
      Files.writeString(html, report.html(), StandardCharsets.UTF_8);
      String dom = assertRendered(html, data);
      String section = dom.substring(dom.indexOf("<section class=\"part\" id=\"predictive-maintenance\">"));
      section = section.substring(0, section.indexOf("<section id=\"empty\">"));
      assertThat(section).contains("<h2>Predictive maintenance</h2>", "data-key=\"device_temperature_per_window\"",
          "data-key=\"device_vibration_per_window\"", "data-key=\"alerts_per_type\"", "data-key=\"alerts_per_site\"");
      assertThat(dom).contains("data-empty=\"alerts_by_reason\"",
          "this output's alerts dataset is another template's (it has no reasons column).",
          "data-empty=\"events_per_window\"");
    }
  }

  @Test
  void aFraudLakeKeepsItsAlertsByReasonAndGetsNoMaintenancePart() throws Exception {
    Map<String, Double> byReason = new TreeMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(fraud.resolve("alerts"))) {
      for (Object reason : (List<?>) r.get("reasons")) {
        byReason.merge(reason.toString(), 1.0, Double::sum);
      }
    }
    assertThat(byReason).isNotEmpty();
    try (OutputLake lake = OutputLake.open(fraud.toString(), local())) {
      assertThat(lake.columns("alerts")).contains("reasons").doesNotContain("alert");
      Report report = new Report(lake, fraud.toString());
      JsonNode data = report.data();
      assertThat(toMap(data.get("alerts_by_reason"))).isEqualTo(byReason);
      assertThat(data.has("maintenance")).isFalse();
      assertThat(data.has("alerts_per_type")).isFalse();
      assertThat(data.has("alerts_per_site")).isFalse();
      assertThat(report.summary()).contains("Fraud alerts by reason").doesNotContain("predictive maintenance");
      Path html = dir.resolve("fraud-report.html");
      Files.writeString(html, report.html(), StandardCharsets.UTF_8);
      String dom = assertRendered(html, data);
      assertThat(dom).doesNotContain("id=\"predictive-maintenance\"").contains(
          "data-empty=\"alerts_per_type\"", "this output's alerts dataset is another template's (it has no alert column).",
          "data-empty=\"device_temperature_per_window\"", "this output has no device_health dataset.");
    }
  }
}
