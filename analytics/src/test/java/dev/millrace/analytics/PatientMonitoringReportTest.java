package dev.millrace.analytics;

import static dev.millrace.analytics.OutputLakeTest.assertRendered;
import static dev.millrace.analytics.OutputLakeTest.lastPanes;
import static dev.millrace.analytics.OutputLakeTest.local;
import static dev.millrace.analytics.OutputLakeTest.query;
import static dev.millrace.analytics.OutputLakeTest.toMap;
import static dev.millrace.analytics.PredictiveMaintenanceReportTest.TIMESTAMP;
import static dev.millrace.analytics.PredictiveMaintenanceReportTest.compact;
import static dev.millrace.analytics.PredictiveMaintenanceReportTest.write;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics stage over patient-monitoring's datasets: {@code vitals_stats} (sliding windows, with panes)
 * keeps the last pane of each (window, patient), the report's patient-monitoring part draws its charts with
 * the Parquet files' numbers, and the other sensor template's and fraud-detection's outputs get no such part.
 */
class PatientMonitoringReportTest {
  @TempDir static Path dir;
  static Path patients;
  static Path vitalsOnly;
  static Path maintenance;
  static Path fraud;

  static final Instant FIRST_WINDOW = Instant.parse("2026-11-27T10:48:00Z");
  static final int WINDOWS = 22;
  static final long WINDOW_MILLIS = 5 * 60_000L;
  /** Twelve patients, two more than the farthest-distance chart shows. */
  static final int PATIENTS = 12;
  /** The (window, patient) with three panes: EARLY, ON_TIME, LATE. */
  static final Instant THREE_PANES = FIRST_WINDOW.plusSeconds(7 * 60);

  static final Schema VITALS_STATS = SchemaBuilder.record("VitalsStats").fields()
      .requiredString("patient_id")
      .name("window_start").type(TIMESTAMP).noDefault()
      .name("window_end").type(TIMESTAMP).noDefault()
      .requiredLong("readings")
      .requiredDouble("avg_heart_rate").requiredDouble("max_heart_rate")
      .requiredDouble("min_spo2").requiredDouble("avg_spo2")
      .requiredDouble("max_distance_m")
      .requiredLong("pane_index").requiredString("pane_timing")
      .endRecord();
  static final Schema NOTIFICATION = SchemaBuilder.record("Notification").fields()
      .requiredString("patient_id").requiredString("kind")
      .name("event_time").type(TIMESTAMP).noDefault()
      .requiredString("caregiver").requiredString("detail")
      .endRecord();
  static final Schema DEAD_LETTER = SchemaBuilder.record("DeadLetter").fields()
      .requiredString("payload").requiredString("error").requiredString("message").requiredString("source")
      .name("processing_time").type(TIMESTAMP).noDefault()
      .endRecord();

  @BeforeAll
  static void writeOutputs() throws Exception {
    patients = dir.resolve("patients");
    writeVitalsStats(patients.resolve("vitals_stats"));
    writeNotifications(patients.resolve("notifications"));
    writeDeadLetters(patients.resolve("dead_letter"));
    vitalsOnly = dir.resolve("vitals-only");
    writeVitalsStats(vitalsOnly.resolve("vitals_stats"));
    writeDeadLetters(vitalsOnly.resolve("dead_letter"));
    maintenance = dir.resolve("maintenance");
    PredictiveMaintenanceReportTest.writeDeviceHealth(maintenance.resolve("device_health"));
    PredictiveMaintenanceReportTest.writeAlerts(maintenance.resolve("alerts"));
    fraud = dir.resolve("fraud");
    FraudDetection.run(PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
        "--maxEvents=2000", "--malformedFraction=0.02",
        "--syntheticAccounts=300", "--output=" + fraud)).as(FraudDetectionOptions.class)).waitUntilFinish();
  }

  static String patient(int p) {
    return String.format("patient-%02d", p);
  }

  /**
   * Sliding windows one minute apart, crossing an hour partition, one file per window and pane as the
   * template names them. Each patient skips some windows; every fourth window gets a LATE pane with other
   * numbers (more readings, a higher heart rate, a lower SpO2, a farther distance); one (window, patient)
   * has three panes.
   */
  static void writeVitalsStats(Path dataset) throws IOException {
    for (int k = 0; k < WINDOWS; k++) {
      Instant start = FIRST_WINDOW.plusSeconds(60L * k);
      Map<Integer, List<GenericRecord>> panes = new TreeMap<>();
      for (int p = 0; p < PATIENTS; p++) {
        if ((k + p) % 6 == 4) {
          continue; // no readings in this window
        }
        boolean three = start.equals(THREE_PANES) && p == 1;
        int last = three ? 2 : k % 4 == 0 ? 1 : 0;
        for (int pane = 0; pane <= last; pane++) {
          String timing = pane == last && pane > 0 ? "LATE" : three && pane == 0 ? "EARLY" : "ON_TIME";
          panes.computeIfAbsent(pane, x -> new ArrayList<>()).add(vitals(p, start, k, pane, timing));
        }
      }
      for (Map.Entry<Integer, List<GenericRecord>> pane : panes.entrySet()) {
        write(dataset, VITALS_STATS, start, "vitals_stats-" + compact(start) + "-" + compact(start.plusMillis(WINDOW_MILLIS))
            + "-p" + pane.getKey() + "-00000-of-00001.parquet", pane.getValue());
      }
    }
  }

  static GenericRecord vitals(int p, Instant start, int k, int pane, String timing) {
    GenericRecord r = new GenericData.Record(VITALS_STATS);
    r.put("patient_id", patient(p));
    r.put("window_start", start.toEpochMilli());
    r.put("window_end", start.toEpochMilli() + WINDOW_MILLIS);
    r.put("readings", 5L + p % 3 + k % 4 + 2L * pane);
    r.put("avg_heart_rate", 68.0 + 2.5 * p + 0.75 * k + 6.0 * pane);
    r.put("max_heart_rate", 80.0 + 2.5 * p + 0.75 * k + 9.0 * pane);
    r.put("min_spo2", 97.5 - 0.25 * p - 0.125 * (k % 5) - 1.5 * pane);
    r.put("avg_spo2", 98.0 - 0.125 * p - 0.5 * pane);
    // Patient 3 walks out of the safe zone in the middle windows and back; the others stay near home.
    double walk = p == 3 && k >= 8 && k <= 14 ? 400.0 + 35.5 * (k - 8) : 0.0;
    r.put("max_distance_m", 12.0 + 17.25 * p + 1.5 * k + walk + 40.0 * pane);
    r.put("pane_index", (long) pane);
    r.put("pane_timing", timing);
    return r;
  }

  static final String[][] NOTIFICATIONS = {{"patient-03", "left_safe_zone", "9"}, {"patient-03", "returned_home", "16"},
      {"patient-03", "left_safe_zone", "17"}, {"patient-07", "left_safe_zone", "2"}, {"patient-07", "returned_home", "3"},
      {"patient-05", "tachycardia", "12"}, {"patient-11", "low_spo2", "6"}, {"patient-08", "device_silent", "14"},
      {"patient-10", "device_silent", "20"}};

  static void writeNotifications(Path dataset) throws IOException {
    List<GenericRecord> rows = new ArrayList<>();
    for (String[] n : NOTIFICATIONS) {
      GenericRecord r = new GenericData.Record(NOTIFICATION);
      r.put("patient_id", n[0]);
      r.put("kind", n[1]);
      r.put("event_time", FIRST_WINDOW.plusSeconds(60L * Integer.parseInt(n[2]) + 17).toEpochMilli());
      r.put("caregiver", "carer-of-" + n[0] + "@example.org");
      r.put("detail", n[1] + " for " + n[0]);
      rows.add(r);
    }
    // Two files in two hour partitions, as a run that crosses an hour writes them.
    write(dataset, NOTIFICATION, FIRST_WINDOW, "notifications-" + compact(FIRST_WINDOW) + "-"
        + compact(FIRST_WINDOW.plusSeconds(60)) + "-p0-00000-of-00001.parquet", rows.subList(0, 5));
    Instant later = FIRST_WINDOW.plusSeconds(20 * 60);
    write(dataset, NOTIFICATION, later, "notifications-" + compact(later) + "-" + compact(later.plusSeconds(60))
        + "-p0-00000-of-00001.parquet", rows.subList(5, rows.size()));
  }

  static void writeDeadLetters(Path dataset) throws IOException {
    String[][] letters = {{"{\"patient_id\":\"ghost-1\"}", "unknown_patient"}, {"{\"patient_id\":\"ghost-2\"}", "unknown_patient"},
        {"{\"patient_id\":\"ghost-1\",\"heart_rate\":80}", "unknown_patient"}, {"{\"heart_rate\":400}", "out_of_range"},
        {"", "empty_record"}};
    List<GenericRecord> rows = new ArrayList<>();
    for (int i = 0; i < letters.length; i++) {
      GenericRecord r = new GenericData.Record(DEAD_LETTER);
      r.put("payload", letters[i][0]);
      r.put("error", letters[i][1]);
      r.put("message", letters[i][1].replace('_', ' '));
      r.put("source", "vitals.jsonl:" + (i + 1));
      r.put("processing_time", FIRST_WINDOW.plusSeconds(i).toEpochMilli());
      rows.add(r);
    }
    write(dataset, DEAD_LETTER, FIRST_WINDOW, "dead_letter-" + compact(FIRST_WINDOW) + "-"
        + compact(FIRST_WINDOW.plusSeconds(60)) + "-p0-00000-of-00001.parquet", rows);
  }

  static final List<String> PATIENT_CHARTS = List.of("vitals_heart_rate_per_window", "vitals_spo2_per_window",
      "notifications_per_kind", "distance_per_window", "patients_by_distance");

  @Test
  void vitalsStatsKeepsTheLastPaneOfEachWindowAndPatient() throws Exception {
    List<GenericRecord> files = LocalParquetFiles.readAll(patients.resolve("vitals_stats"));
    List<GenericRecord> last = lastPanes(patients.resolve("vitals_stats"), "window_start", "patient_id");
    assertThat(files.size()).isGreaterThan(last.size());
    List<String> expected = last.stream()
        .map(r -> r.get("window_start") + "|" + r.get("patient_id") + "|" + r.get("readings") + "|" + r.get("avg_heart_rate")
            + "|" + r.get("min_spo2") + "|" + r.get("max_distance_m") + "|" + r.get("pane_index") + "|" + r.get("pane_timing") + "|")
        .sorted().collect(Collectors.toList());
    try (OutputLake lake = OutputLake.open(patients.toString(), local())) {
      assertThat(lake.datasets()).containsExactly("dead_letter", "notifications", "vitals_stats");
      assertThat(query(lake, "SELECT window_start, patient_id, readings, avg_heart_rate, min_spo2, max_distance_m,"
          + " pane_index, pane_timing FROM vitals_stats")).isEqualTo(expected);
      assertThat(query(lake, "SELECT patient_id, pane_index, pane_timing, readings FROM vitals_stats WHERE window_start = "
          + "TIMESTAMPTZ '" + THREE_PANES + "' AND patient_id = 'patient-01'")).containsExactly("patient-01|2|LATE|13|");
      // Sliding windows overlap: the key is the window and the patient, never the window alone.
      long inFirst = last.stream().filter(r -> (Long) r.get("window_start") == FIRST_WINDOW.toEpochMilli()).count();
      assertThat(inFirst).isGreaterThan(1);
      assertThat(query(lake, "SELECT count(*) FROM vitals_stats WHERE window_start = TIMESTAMPTZ '" + FIRST_WINDOW + "'"))
          .containsExactly(inFirst + "|");
      assertThat(lake.columns("notifications")).startsWith("patient_id", "kind", "event_time", "caregiver", "detail");
      assertThat(query(lake, "SELECT patient_id, kind, event_time FROM notifications"))
          .isEqualTo(LocalParquetFiles.rows(patients.resolve("notifications"), "patient_id", "kind", "event_time"));
      assertThat(query(lake, "SELECT error, count(*) FROM dead_letter GROUP BY 1"))
          .containsExactly("empty_record|1|", "out_of_range|1|", "unknown_patient|3|");
    }
  }

  @Test
  void thePatientPartDrawsTheParquetFilesNumbers() throws Exception {
    List<GenericRecord> last = lastPanes(patients.resolve("vitals_stats"), "window_start", "patient_id");
    Map<String, List<GenericRecord>> perWindow = new TreeMap<>();
    Map<String, Double> farthest = new HashMap<>();
    for (GenericRecord r : last) {
      perWindow.computeIfAbsent(Instant.ofEpochMilli((Long) r.get("window_start")).toString(), w -> new ArrayList<>()).add(r);
      farthest.merge(r.get("patient_id").toString(), (Double) r.get("max_distance_m"), Math::max);
    }
    Map<String, Double> topTen = new LinkedHashMap<>();
    farthest.entrySet().stream()
        .sorted(Comparator.<Map.Entry<String, Double>>comparingDouble(Map.Entry::getValue).reversed()
            .thenComparing(Map.Entry::getKey))
        .limit(10).forEach(e -> topTen.put(e.getKey(), e.getValue()));
    Map<String, Double> perKind = new TreeMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(patients.resolve("notifications"))) {
      perKind.merge(r.get("kind").toString(), 1.0, Double::sum);
    }
    try (OutputLake lake = OutputLake.open(patients.toString(), local())) {
      Report report = new Report(lake, patients.toString());
      JsonNode data = report.data();
      JsonNode heartRate = data.get("vitals_heart_rate_per_window");
      JsonNode spo2 = data.get("vitals_spo2_per_window");
      JsonNode distance = data.get("distance_per_window");
      assertThat(heartRate.get("x").size()).isEqualTo(WINDOWS).isEqualTo(perWindow.size());
      assertThat(spo2.get("x")).isEqualTo(heartRate.get("x"));
      assertThat(distance.get("x")).isEqualTo(heartRate.get("x"));
      int i = 0;
      for (Map.Entry<String, List<GenericRecord>> w : perWindow.entrySet()) {
        assertThat(OffsetDateTime.parse(heartRate.get("x").get(i).asText()).toInstant().toString()).isEqualTo(w.getKey());
        assertThat(heartRate.get("y").get(i).asDouble()).as(w.getKey()).isCloseTo(
            w.getValue().stream().mapToDouble(r -> (Double) r.get("avg_heart_rate")).average().orElseThrow(), within(1e-9));
        assertThat(spo2.get("y").get(i).asDouble()).as(w.getKey()).isEqualTo(
            w.getValue().stream().mapToDouble(r -> (Double) r.get("min_spo2")).min().orElseThrow());
        assertThat(distance.get("y").get(i).asDouble()).as(w.getKey()).isEqualTo(
            w.getValue().stream().mapToDouble(r -> (Double) r.get("max_distance_m")).max().orElseThrow());
        i++;
      }
      JsonNode byDistance = data.get("patients_by_distance");
      assertThat(byDistance.get("x").size()).isEqualTo(10);
      assertThat(toMap(byDistance)).isEqualTo(new TreeMap<>(topTen));
      List<String> order = new ArrayList<>();
      byDistance.get("x").forEach(x -> order.add(x.asText()));
      assertThat(order).containsExactlyElementsOf(topTen.keySet()).startsWith("patient-03");
      assertThat(toMap(data.get("notifications_per_kind"))).isEqualTo(perKind);
      assertThat(toMap(data.get("dead_letters_by_reason")))
          .isEqualTo(Map.of("unknown_patient", 3.0, "out_of_range", 1.0, "empty_record", 1.0));
      JsonNode part = data.get("patients");
      assertThat(part.get("patients").asLong()).isEqualTo(PATIENTS).isEqualTo(farthest.size());
      assertThat(part.get("windows").asLong()).isEqualTo(perWindow.size());
      assertThat(part.get("rows").asLong()).isEqualTo(last.size());
      assertThat(part.get("notifications").asLong()).isEqualTo(NOTIFICATIONS.length);
      assertThat(data.has("maintenance")).isFalse();

      String line = "12 patients, 22 windows (" + last.size() + " patient-window rows); 9 notifications:"
          + " left_safe_zone 3, device_silent 2, returned_home 2, low_spo2 1, tachycardia 1";
      assertThat(report.summary()).contains("patient monitoring: " + line, "Vitals over time: avg heart rate",
          "Notifications per kind (total notifications)", "Patients by farthest distance (top 10)")
          .doesNotContain("predictive maintenance");

      Path html = dir.resolve("patients-report.html");
      Files.writeString(html, report.html(), StandardCharsets.UTF_8);
      String dom = assertRendered(html, data);
      String section = dom.substring(dom.indexOf("<section class=\"part\" id=\"patient-monitoring\">"));
      section = section.substring(0, section.indexOf("<section id=\"empty\">"));
      assertThat(section).contains("<h2>Patient monitoring</h2>", "data-part-summary=\"patients\">" + line + ".</p>");
      for (String key : PATIENT_CHARTS) {
        assertThat(section).contains("data-key=\"" + key + "\"");
      }
      assertThat(dom).doesNotContain("id=\"predictive-maintenance\"")
          .contains("data-key=\"dead_letters_by_reason\"", "data-empty=\"device_temperature_per_window\"",
              "data-empty=\"events_per_window\"");
    }
  }

  @Test
  void withoutNotificationsThePartDrawsTheVitalsAndListsTheMissingDataset() throws Exception {
    try (OutputLake lake = OutputLake.open(vitalsOnly.toString(), local())) {
      Report report = new Report(lake, vitalsOnly.toString());
      JsonNode data = report.data();
      assertThat(data.get("patients").has("notifications")).isFalse();
      assertThat(data.has("notifications_per_kind")).isFalse();
      assertThat(data.get("vitals_heart_rate_per_window").get("x").size()).isEqualTo(WINDOWS);
      assertThat(report.summary()).contains("patient monitoring: 12 patients, 22 windows", "; no notifications dataset");
      Path html = dir.resolve("vitals-only-report.html");
      Files.writeString(html, report.html(), StandardCharsets.UTF_8);
      String dom = assertRendered(html, data);
      assertThat(dom).contains("id=\"patient-monitoring\"", "data-key=\"distance_per_window\"",
          "data-empty=\"notifications_per_kind\"", "this output has no notifications dataset.");
    }
  }

  @Test
  void maintenanceAndFraudLakesGetNoPatientPart() throws Exception {
    for (Path output : List.of(maintenance, fraud)) {
      try (OutputLake lake = OutputLake.open(output.toString(), local())) {
        Report report = new Report(lake, output.toString());
        JsonNode data = report.data();
        assertThat(data.has("patients")).as(output.toString()).isFalse();
        for (String key : PATIENT_CHARTS) {
          assertThat(data.has(key)).as(key).isFalse();
        }
        assertThat(report.summary()).doesNotContain("patient monitoring");
        Path html = dir.resolve(output.getFileName() + "-report.html");
        Files.writeString(html, report.html(), StandardCharsets.UTF_8);
        String dom = assertRendered(html, data);
        assertThat(dom).doesNotContain("id=\"patient-monitoring\"", "data-part-summary=\"patients\"").contains(
            "data-empty=\"vitals_heart_rate_per_window\"", "this output has no vitals_stats dataset.",
            "data-empty=\"notifications_per_kind\"", "this output has no notifications dataset.");
        assertThat(dom.contains("id=\"predictive-maintenance\""))
            .as("the maintenance part stays on the maintenance lake only").isEqualTo(output.equals(maintenance));
      }
    }
  }
}
