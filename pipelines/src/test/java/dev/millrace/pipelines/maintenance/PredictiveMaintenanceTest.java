package dev.millrace.pipelines.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.synthetic.SensorGenerator;
import dev.millrace.io.synthetic.SyntheticSensorConfig;
import dev.millrace.pipelines.summary.RunSummary;
import dev.millrace.testing.TemplateRuns;
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
 * predictive-maintenance over our own data set (synthetic readings with every alert pattern,
 * duplicates and malformed records, plus crafted ones at the contract's boundaries) against an
 * independent computation written here in plain Java and doubles: its own validation, windows
 * enumerated per reading, a two-pass least-squares slope, the alert rules read from the issue.
 */
class PredictiveMaintenanceTest {
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  static final long MINUTE = 60_000;

  @TempDir Path dir;

  static List<String> writeDataSet(Path dir) throws Exception {
    SensorGenerator generator = new SensorGenerator(SyntheticSensorConfig.defaults()
        .withSeed(11).withEventsPerSecond(20).withDevices(20).withDuplicateFraction(0.02).withMalformedFraction(0.02));
    List<String> lines = new ArrayList<>();
    for (long n = 0; n < 20_000; n++) {
      lines.addAll(generator.recordsOf(n));
    }
    // Boundaries: ranges are inclusive; a silence of exactly 5m is not one, 5m + 1 ms is.
    String edge = "{\"device_id\":\"edge-1\",\"event_time\":\"%s\",\"temperature_c\":%s,\"vibration_mm_s\":%s,\"rpm\":%s}";
    lines.add(String.format(edge, "2026-01-01T00:00:00Z", "300", "0", "100000"));
    lines.add(String.format(edge, "2026-01-01T00:05:00Z", "-100", "1000", "0"));
    lines.add(String.format(edge, "2026-01-01T05:10:00.001+05:00", "20.5", "1", "10")); // 00:10:00.001Z
    lines.add(String.format(edge, "2026-01-01T00:10:00.001Z", "99", "1", "10")); // duplicate (same instant)
    lines.add(String.format(edge, "2026-01-01T00:10:00.001Z", "300.01", "1", "10")); // out_of_range
    lines.add(String.format(edge, "2026-01-01T00:10:00.002Z", "\"NaN\"", "1", "10")); // wrong_type
    lines.add(String.format(edge, "2026-01-01T00:10:00.003Z", "1e400", "1", "10")); // out_of_range
    lines.add(String.format(edge, "2026-01-01T00:10:00.004Z", "20", "-0.01", "10")); // out_of_range
    lines.add(String.format(edge, "2026-01-01T00:10:00.005Z", "20", "1", "100000.5")); // out_of_range
    lines.add(String.format(edge, "2026-01-01T00:10:00.006Z", "true", "1", "10")); // wrong_type
    lines.add("{\"device_id\":\"edge-1\",\"event_time\":\"2026-01-01T00:10:00Z\",\"temperature_c\":20,\"rpm\":1}");
    lines.add("");
    lines.add("{\"device_id\":\"edge-1\",\"note\":\"" + "x".repeat(1_100_000) + "\"}");
    lines.add(String.format(edge, "2026-01-01T00:20:00Z", "20", "1", "10").replace("\"rpm\":10}", "\"rpm\":10,\"x\":[1]}"));
    Files.write(dir.resolve("readings.jsonl"), lines, StandardCharsets.UTF_8);
    List<String> registry = new ArrayList<>(generator.registryJsonLines());
    registry.add("{\"device_id\":\"edge-1\",\"model\":\"m\",\"site\":\"edge\",\"max_temperature_c\":50,"
        + "\"max_vibration_mm_s\":500,\"installed_date\":null}");
    Files.write(dir.resolve("devices.jsonl"), registry, StandardCharsets.UTF_8);
    return lines;
  }

  @Test
  void healthRowsAndAlertsAreExactlyWhatAnIndependentComputationGives() throws Exception {
    List<String> lines = writeDataSet(dir);
    Path out = dir.resolve("out");
    PredictiveMaintenanceOptions options = PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
        "--source=file", "--input=" + dir.resolve("readings.jsonl"),
        "--registry=" + dir.resolve("devices.jsonl"), "--output=" + out)).as(PredictiveMaintenanceOptions.class);
    PipelineResult result = PredictiveMaintenance.run(options);
    result.waitUntilFinish();
    RunSummary summary = RunSummary.of(result);

    Oracle expected = new Oracle(lines, Files.readAllLines(dir.resolve("devices.jsonl")));
    assertThat(summary.balances()).as(summary.format("maintenance run")).isTrue();
    assertThat(summary.read()).isEqualTo(lines.size());
    assertThat(summary.deadLettered()).isEqualTo(expected.invalid);
    assertThat(summary.deadLettersByReason()).containsKeys("out_of_range", "wrong_type", "missing_field",
        "empty_record", "record_too_large", "malformed_json", "not_an_object", "bad_timestamp", "empty_field");
    assertThat(summary.duplicates()).isEqualTo(expected.duplicates).isPositive();
    assertThat(summary.get(PredictiveMaintenance.UNREGISTERED)).isEqualTo(expected.unregistered).isPositive();
    assertThat(LocalParquetFiles.readAll(out.resolve("dead_letter"))).hasSize((int) expected.invalid);

    Map<String, GenericRecord> health = new TreeMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(out.resolve("device_health"))) {
      String key = r.get("device_id") + "@" + millis(r.get("window_start"));
      assertThat(health.put(key, r)).as("one row per (device, window): " + key).isNull();
      assertThat(r.get("pane_timing").toString()).isEqualTo("ON_TIME");
    }
    assertThat(health.keySet()).isEqualTo(expected.windows.keySet());
    for (Map.Entry<String, Window> e : expected.windows.entrySet()) {
      GenericRecord r = health.get(e.getKey());
      Window w = e.getValue();
      assertThat(millis(r.get("window_end"))).isEqualTo(w.start + 10 * MINUTE);
      assertThat((long) r.get("readings")).as(e.getKey()).isEqualTo(w.times.size());
      close(r, "avg_temperature_c", w.avg(w.temps));
      close(r, "max_temperature_c", w.max(w.temps));
      close(r, "avg_vibration_mm_s", w.avg(w.vibs));
      close(r, "max_vibration_mm_s", w.max(w.vibs));
      close(r, "avg_rpm", w.avg(w.rpms));
      Double slope = w.slope();
      if (slope == null) {
        assertThat(r.get("vibration_slope")).as(e.getKey()).isNull();
      } else {
        close(r, "vibration_slope", slope);
      }
      JsonNode device = expected.registry.get(w.device);
      assertThat(r.get("site") == null ? null : r.get("site").toString())
          .isEqualTo(device == null ? null : device.get("site").asText());
    }

    Set<String> alerts = new TreeSet<>();
    for (GenericRecord r : LocalParquetFiles.readAll(out.resolve("alerts"))) {
      assertThat(alerts.add(r.get("device_id") + "|" + r.get("alert") + "|" + millis(r.get("event_time"))))
          .as("one row per alert").isTrue();
    }
    assertThat(alerts).isEqualTo(expected.alerts);
    for (String kind : List.of("vibration_spike", "overheat", "degrading", "offline")) {
      assertThat(alerts).as(kind).anyMatch(a -> a.contains("|" + kind + "|"));
    }
    assertThat(alerts).as("exactly 5m is no silence, 5m + 1 ms is")
        .contains("edge-1|offline|" + (OffsetDateTime.parse("2026-01-01T00:10:00Z").toInstant().toEpochMilli()))
        .doesNotContain("edge-1|offline|" + (OffsetDateTime.parse("2026-01-01T00:05:00Z").toInstant().toEpochMilli()));
  }

  static long millis(Object value) {
    return value instanceof Long l ? l : ((org.joda.time.ReadableInstant) value).getMillis();
  }

  static void close(GenericRecord r, String field, double expected) {
    double actual = (double) r.get(field);
    assertThat(Math.abs(actual - expected)).as(field + " of " + r.get("device_id") + "@" + r.get("window_start")
        + ": " + actual + " vs " + expected).isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(expected)));
  }

  /** One (device, window) of the independent computation. */
  static final class Window {
    final String device;
    final long start;
    final List<Long> times = new ArrayList<>();
    final List<Double> temps = new ArrayList<>();
    final List<Double> vibs = new ArrayList<>();
    final List<Double> rpms = new ArrayList<>();

    Window(String device, long start) {
      this.device = device;
      this.start = start;
    }

    double avg(List<Double> xs) {
      return xs.stream().mapToDouble(Double::doubleValue).sum() / xs.size();
    }

    double max(List<Double> xs) {
      return xs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    Double slope() {
      if (new HashSet<>(times).size() < 2) {
        return null;
      }
      double mx = times.stream().mapToDouble(t -> (t - start) / 60_000.0).sum() / times.size();
      double my = avg(vibs);
      double sxy = 0;
      double sxx = 0;
      for (int i = 0; i < times.size(); i++) {
        double dx = (times.get(i) - start) / 60_000.0 - mx;
        sxy += dx * (vibs.get(i) - my);
        sxx += dx * dx;
      }
      return sxy / sxx;
    }
  }

  /** The contract and the rules of issue #16, computed without any pipeline code. */
  static final class Oracle {
    long invalid;
    long duplicates;
    long unregistered;
    final Map<String, JsonNode> registry = new HashMap<>();
    final Map<String, Window> windows = new TreeMap<>();
    final Set<String> alerts = new TreeSet<>();

    Oracle(List<String> lines, List<String> registryLines) throws Exception {
      for (String line : registryLines) {
        JsonNode d = JSON.readTree(line);
        registry.put(d.get("device_id").asText(), d);
      }
      Set<String> seen = new HashSet<>();
      Map<String, TreeMap<Long, double[]>> byDevice = new TreeMap<>();
      for (String line : lines) {
        double[] values = valid(line);
        if (values == null) {
          invalid++;
          continue;
        }
        JsonNode n = JSON.readTree(line);
        String device = n.get("device_id").asText();
        long t = OffsetDateTime.parse(n.get("event_time").asText()).toInstant().toEpochMilli();
        if (!seen.add(device + "@" + t)) {
          duplicates++;
          continue;
        }
        byDevice.computeIfAbsent(device, d -> new TreeMap<>()).put(t, values);
      }
      for (Map.Entry<String, TreeMap<Long, double[]>> e : byDevice.entrySet()) {
        String device = e.getKey();
        JsonNode reg = registry.get(device);
        if (reg == null) {
          unregistered += e.getValue().size();
        }
        Long previous = null;
        for (Map.Entry<Long, double[]> reading : e.getValue().entrySet()) {
          long t = reading.getKey();
          double[] v = reading.getValue();
          for (long s = Math.floorDiv(t, MINUTE) * MINUTE; s > t - 10 * MINUTE; s -= MINUTE) {
            long start = s;
            Window w = windows.computeIfAbsent(device + "@" + start, k -> new Window(device, start));
            w.times.add(t);
            w.temps.add(v[0]);
            w.vibs.add(v[1]);
            w.rpms.add(v[2]);
          }
          if (reg != null) {
            if (v[1] > 2 * reg.get("max_vibration_mm_s").asDouble()) {
              alerts.add(device + "|vibration_spike|" + t);
            }
            if (previous != null && t - previous > 5 * MINUTE) {
              alerts.add(device + "|offline|" + (previous + 5 * MINUTE));
            }
          }
          previous = t;
        }
        if (reg != null) {
          alerts.add(device + "|offline|" + (previous + 5 * MINUTE));
          runs(device, reg);
        }
      }
    }

    void runs(String device, JsonNode reg) {
      long lastHot = Long.MIN_VALUE;
      int hotRun = 0;
      long lastTrend = Long.MIN_VALUE;
      for (Window w : windows.values()) {
        if (!w.device.equals(device)) {
          continue;
        }
        if (w.avg(w.temps) > reg.get("max_temperature_c").asDouble()) {
          hotRun = w.start - lastHot == MINUTE ? hotRun + 1 : 1;
          lastHot = w.start;
          if (hotRun == 3) {
            alerts.add(device + "|overheat|" + (w.start + 10 * MINUTE));
          }
        }
        Double slope = w.slope();
        if (w.times.size() >= 20 && slope != null && slope > 0.5) {
          if (w.start - lastTrend != MINUTE) {
            alerts.add(device + "|degrading|" + (w.start + 10 * MINUTE));
          }
          lastTrend = w.start;
        }
      }
    }

    /** [temperature, vibration, rpm] of a valid record, or null. */
    static double[] valid(String line) {
      try {
        if (line.isBlank() || line.getBytes(StandardCharsets.UTF_8).length > 1024 * 1024) {
          return null;
        }
        JsonNode n = JSON.readTree(line);
        if (n == null || !n.isObject()) {
          return null;
        }
        for (String f : List.of("device_id", "event_time")) {
          if (n.get(f) == null || !n.get(f).isTextual() || n.get(f).asText().isBlank()) {
            return null;
          }
        }
        OffsetDateTime.parse(n.get("event_time").asText());
        double[] v = new double[3];
        String[] fields = {"temperature_c", "vibration_mm_s", "rpm"};
        double[][] ranges = {{-100, 300}, {0, 1000}, {0, 100_000}};
        for (int i = 0; i < 3; i++) {
          JsonNode x = n.get(fields[i]);
          if (x == null || !x.isNumber()) {
            return null;
          }
          if (x.decimalValue().compareTo(java.math.BigDecimal.valueOf(ranges[i][0])) < 0
              || x.decimalValue().compareTo(java.math.BigDecimal.valueOf(ranges[i][1])) > 0) {
            return null;
          }
          v[i] = x.doubleValue();
        }
        return v;
      } catch (Exception e) {
        return null;
      }
    }
  }
}
