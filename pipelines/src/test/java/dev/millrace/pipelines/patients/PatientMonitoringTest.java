package dev.millrace.pipelines.patients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.synthetic.SyntheticVitalsConfig;
import dev.millrace.io.synthetic.VitalsGenerator;
import dev.millrace.pipelines.summary.RunSummary;
import dev.millrace.testing.TemplateRuns;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * patient-monitoring over our own data set (synthetic vitals with every notification pattern,
 * unknown patients, duplicates and malformed records, plus crafted ones at the boundaries) against an
 * independent computation written here in plain Java: its own validation, its own haversine, windows
 * enumerated per reading, the notification rules read from the issue.
 */
class PatientMonitoringTest {
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  static final long MINUTE = 60_000;
  static final long SIZE = 5 * MINUTE;

  @TempDir Path dir;

  static List<String> writeDataSet(Path dir) throws Exception {
    VitalsGenerator generator = new VitalsGenerator(SyntheticVitalsConfig.defaults()
        .withSeed(5).withEventsPerSecond(2).withPatients(20).withDuplicateFraction(0.02).withMalformedFraction(0.02));
    List<String> lines = new ArrayList<>();
    for (long n = 0; n < 6_000; n++) {
      lines.addAll(generator.recordsOf(n));
    }
    // edge-1 lives at (0, 0), safe radius 1000 m; edge-0 at (10, 10) with a radius of 0: a reading exactly
    // at home is at distance 0 <= 0, inside; one a millionth of a degree away is outside.
    String edge = "{\"patient_id\":\"edge-1\",\"event_time\":\"%s\",\"heart_rate\":%s,\"spo2\":%s,\"lat\":%s,\"lon\":0}";
    lines.add(String.format(edge, "2026-01-01T00:00:00Z", "60", "98", "0.005")); // 556 m: inside
    lines.add(String.format(edge, "2026-01-01T00:01:00Z", "60", "98", "0.0091")); // 1012 m: outside
    lines.add(String.format(edge, "2026-01-01T00:01:30Z", "60", "98", "0.02"));
    lines.add(String.format(edge, "2026-01-01T00:03:30.001Z", "60", "98", "0")); // 2m + 1 ms later: silent
    lines.add(String.format(edge, "2026-01-01T00:05:30.001Z", "60", "98", "0")); // exactly 2m later: not silent
    lines.add("{\"patient_id\":\"edge-0\",\"event_time\":\"2026-01-01T00:00:00Z\",\"heart_rate\":60,\"spo2\":98,"
        + "\"lat\":10,\"lon\":10}");
    lines.add("{\"patient_id\":\"edge-0\",\"event_time\":\"2026-01-01T00:00:10Z\",\"heart_rate\":60,\"spo2\":98,"
        + "\"lat\":10.000001,\"lon\":10}");
    lines.add(String.format(edge, "2026-01-01T00:06:00Z", "72.5", "98", "0")); // wrong_type
    lines.add(String.format(edge, "2026-01-01T00:06:01Z", "251", "98", "0")); // out_of_range
    lines.add(String.format(edge, "2026-01-01T00:06:02Z", "60", "\"NaN\"", "0")); // wrong_type
    lines.add(String.format(edge, "2026-01-01T00:06:03Z", "60", "98", "90.5")); // out_of_range
    lines.add(String.format(edge, "2026-01-01T00:06:04Z", "60", "98", "0").replace("}", ",\"steps\":-1}"));
    lines.add(String.format(edge, "2026-01-01T00:06:05Z", "60", "98", "0").replace("edge-1", "nobody"));
    lines.add("");
    Files.write(dir.resolve("vitals.jsonl"), lines, StandardCharsets.UTF_8);
    List<String> registry = new ArrayList<>(generator.registryJsonLines());
    registry.add("{\"patient_id\":\"edge-1\",\"home_lat\":0,\"home_lon\":0,\"safe_radius_m\":1000,"
        + "\"max_heart_rate\":100,\"caregiver\":\"edge@example.org\"}");
    registry.add("{\"patient_id\":\"edge-0\",\"home_lat\":10,\"home_lon\":10,\"safe_radius_m\":0,"
        + "\"max_heart_rate\":100,\"caregiver\":\"edge0@example.org\"}");
    Files.write(dir.resolve("patients.jsonl"), registry, StandardCharsets.UTF_8);
    return lines;
  }

  @Test
  void statsAndNotificationsAreExactlyWhatAnIndependentComputationGives() throws Exception {
    List<String> lines = writeDataSet(dir);
    Path out = dir.resolve("out");
    PatientMonitoringOptions options = PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
        "--source=file", "--input=" + dir.resolve("vitals.jsonl"),
        "--registry=" + dir.resolve("patients.jsonl"), "--output=" + out)).as(PatientMonitoringOptions.class);
    PipelineResult result = PatientMonitoring.run(options);
    result.waitUntilFinish();
    RunSummary summary = RunSummary.of(result);

    Oracle expected = new Oracle(lines, Files.readAllLines(dir.resolve("patients.jsonl")));
    assertThat(summary.balances()).as(summary.format("patient run")).isTrue();
    assertThat(summary.read()).isEqualTo(lines.size());
    assertThat(summary.deadLettered()).isEqualTo(expected.invalid);
    assertThat(summary.deadLettersByReason()).containsKeys("unknown_patient", "out_of_range", "wrong_type",
        "missing_field", "empty_record", "malformed_json", "bad_timestamp");
    assertThat(summary.deadLettersByReason().get("unknown_patient")).isEqualTo(expected.unknown).isPositive();
    assertThat(summary.duplicates()).isEqualTo(expected.duplicates).isPositive();
    assertThat(LocalParquetFiles.readAll(out.resolve("dead_letter"))).hasSize((int) expected.invalid);

    Map<String, GenericRecord> stats = new TreeMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(out.resolve("vitals_stats"))) {
      String key = r.get("patient_id") + "@" + millis(r.get("window_start"));
      assertThat(stats.put(key, r)).as("one row per (patient, window): " + key).isNull();
    }
    assertThat(stats.keySet()).isEqualTo(expected.windows.keySet());
    for (Map.Entry<String, Window> e : expected.windows.entrySet()) {
      GenericRecord r = stats.get(e.getKey());
      Window w = e.getValue();
      assertThat(millis(r.get("window_end"))).isEqualTo(w.start + SIZE);
      assertThat((long) r.get("readings")).as(e.getKey()).isEqualTo(w.hr.size());
      close(r, "avg_heart_rate", w.hr.stream().mapToDouble(x -> x).average().orElseThrow());
      close(r, "max_heart_rate", w.hr.stream().mapToDouble(x -> x).max().orElseThrow());
      close(r, "min_spo2", w.spo2.stream().mapToDouble(x -> x).min().orElseThrow());
      close(r, "avg_spo2", w.spo2.stream().mapToDouble(x -> x).average().orElseThrow());
      close(r, "max_distance_m", w.distance.stream().mapToDouble(x -> x).max().orElseThrow());
    }

    Set<String> notifications = new TreeSet<>();
    for (GenericRecord r : LocalParquetFiles.readAll(out.resolve("notifications"))) {
      String patient = r.get("patient_id").toString();
      assertThat(notifications.add(patient + "|" + r.get("kind") + "|" + millis(r.get("event_time"))))
          .as("one row per notification").isTrue();
      assertThat(r.get("caregiver").toString()).isEqualTo(expected.registry.get(patient).get("caregiver").asText());
    }
    assertThat(notifications).isEqualTo(expected.notifications);
    for (String kind : List.of("left_safe_zone", "returned_home", "tachycardia", "low_spo2", "device_silent")) {
      assertThat(notifications).as(kind).anyMatch(n -> n.contains("|" + kind + "|"));
    }
    long t0 = OffsetDateTime.parse("2026-01-01T00:00:00Z").toInstant().toEpochMilli();
    assertThat(notifications).as("on the radius is inside; just beyond it is outside")
        .doesNotContain("edge-0|left_safe_zone|" + t0)
        .contains("edge-0|left_safe_zone|" + (t0 + 10_000))
        .contains("edge-1|left_safe_zone|" + (t0 + MINUTE))
        .doesNotContain("edge-1|left_safe_zone|" + t0)
        .contains("edge-1|returned_home|" + (t0 + 210_001))
        .as("a gap of 2m + 1 ms is a silence, exactly 2m is not")
        .contains("edge-1|device_silent|" + (t0 + 90_000 + 2 * MINUTE))
        .doesNotContain("edge-1|device_silent|" + (t0 + 210_001 + 2 * MINUTE));
  }

  static long millis(Object value) {
    return value instanceof Long l ? l : ((org.joda.time.ReadableInstant) value).getMillis();
  }

  static void close(GenericRecord r, String field, double expected) {
    double actual = (double) r.get(field);
    assertThat(Math.abs(actual - expected)).as(field + " of " + r.get("patient_id") + "@" + r.get("window_start")
        + ": " + actual + " vs " + expected).isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(expected)));
  }

  static double haversine(double lat1, double lon1, double lat2, double lon2) {
    double r = 6_371_008.8;
    double dLat = Math.toRadians(lat2 - lat1);
    double dLon = Math.toRadians(lon2 - lon1);
    double h = Math.pow(Math.sin(dLat / 2), 2)
        + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * r * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
  }

  static final class Window {
    final long start;
    final List<Double> hr = new ArrayList<>();
    final List<Double> spo2 = new ArrayList<>();
    final List<Double> distance = new ArrayList<>();

    Window(long start) {
      this.start = start;
    }
  }

  /** The contract and the rules of issue #17, computed without any pipeline code. */
  static final class Oracle {
    long invalid;
    long unknown;
    long duplicates;
    final Map<String, JsonNode> registry = new HashMap<>();
    final Map<String, Window> windows = new TreeMap<>();
    final Set<String> notifications = new TreeSet<>();

    Oracle(List<String> lines, List<String> registryLines) throws Exception {
      for (String line : registryLines) {
        JsonNode p = JSON.readTree(line);
        registry.put(p.get("patient_id").asText(), p);
      }
      Set<String> seen = new HashSet<>();
      Map<String, TreeMap<Long, double[]>> byPatient = new TreeMap<>();
      for (String line : lines) {
        double[] v = valid(line);
        if (v == null) {
          invalid++;
          continue;
        }
        JsonNode n = JSON.readTree(line);
        String patient = n.get("patient_id").asText();
        if (!registry.containsKey(patient)) {
          invalid++;
          unknown++;
          continue;
        }
        long t = OffsetDateTime.parse(n.get("event_time").asText()).toInstant().toEpochMilli();
        if (!seen.add(patient + "@" + t)) {
          duplicates++;
          continue;
        }
        byPatient.computeIfAbsent(patient, p -> new TreeMap<>()).put(t, v);
      }
      for (Map.Entry<String, TreeMap<Long, double[]>> e : byPatient.entrySet()) {
        String patient = e.getKey();
        JsonNode home = registry.get(patient);
        Boolean outside = null;
        Long previous = null;
        for (Map.Entry<Long, double[]> reading : e.getValue().entrySet()) {
          long t = reading.getKey();
          double[] v = reading.getValue();
          double d = haversine(home.get("home_lat").asDouble(), home.get("home_lon").asDouble(), v[2], v[3]);
          boolean out = d > home.get("safe_radius_m").asDouble();
          if (out && (outside == null || !outside)) {
            notifications.add(patient + "|left_safe_zone|" + t);
          } else if (!out && outside != null && outside) {
            notifications.add(patient + "|returned_home|" + t);
          }
          outside = out;
          if (previous != null && t - previous > 2 * MINUTE) {
            notifications.add(patient + "|device_silent|" + (previous + 2 * MINUTE));
          }
          previous = t;
          for (long s = Math.floorDiv(t, MINUTE) * MINUTE; s > t - SIZE; s -= MINUTE) {
            long start = s;
            Window w = windows.computeIfAbsent(patient + "@" + start, k -> new Window(start));
            w.hr.add(v[0]);
            w.spo2.add(v[1]);
            w.distance.add(d);
          }
        }
        notifications.add(patient + "|device_silent|" + (previous + 2 * MINUTE));
        long lastHot = Long.MIN_VALUE;
        int hotRun = 0;
        long lastLow = Long.MIN_VALUE;
        for (Map.Entry<String, Window> w : windows.entrySet()) {
          if (!w.getKey().startsWith(patient + "@")) {
            continue;
          }
          Window window = w.getValue();
          double avgHr = window.hr.stream().mapToDouble(x -> x).average().orElseThrow();
          if (avgHr > home.get("max_heart_rate").asDouble()) {
            hotRun = window.start - lastHot == MINUTE ? hotRun + 1 : 1;
            lastHot = window.start;
            if (hotRun == 3) {
              notifications.add(patient + "|tachycardia|" + (window.start + SIZE));
            }
          }
          if (window.spo2.size() >= 3 && window.spo2.stream().allMatch(x -> x < 90)) {
            if (window.start - lastLow != MINUTE) {
              notifications.add(patient + "|low_spo2|" + (window.start + SIZE));
            }
            lastLow = window.start;
          }
        }
      }
    }

    /** [heart rate, spo2, lat, lon] of a record valid by the contract (registry aside), or null. */
    static double[] valid(String line) {
      try {
        if (line.isBlank()) {
          return null;
        }
        JsonNode n = JSON.readTree(line);
        if (n == null || !n.isObject()) {
          return null;
        }
        for (String f : List.of("patient_id", "event_time")) {
          if (n.get(f) == null || !n.get(f).isTextual() || n.get(f).asText().isBlank()) {
            return null;
          }
        }
        OffsetDateTime.parse(n.get("event_time").asText());
        JsonNode hr = n.get("heart_rate");
        if (hr == null || !hr.isIntegralNumber() || hr.asLong() < 20 || hr.asLong() > 250) {
          return null;
        }
        double[] v = {hr.asDouble(), 0, 0, 0};
        String[] fields = {"spo2", "lat", "lon"};
        double[][] ranges = {{50, 100}, {-90, 90}, {-180, 180}};
        for (int i = 0; i < 3; i++) {
          JsonNode x = n.get(fields[i]);
          if (x == null || !x.isNumber() || x.decimalValue().compareTo(BigDecimal.valueOf(ranges[i][0])) < 0
              || x.decimalValue().compareTo(BigDecimal.valueOf(ranges[i][1])) > 0) {
            return null;
          }
          v[i + 1] = x.doubleValue();
        }
        JsonNode steps = n.get("steps");
        if (steps != null && !steps.isNull() && (!steps.isIntegralNumber() || steps.asLong() < 0)) {
          return null;
        }
        return v;
      } catch (Exception e) {
        return null;
      }
    }
  }
}
