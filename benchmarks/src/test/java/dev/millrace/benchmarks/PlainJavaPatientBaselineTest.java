package dev.millrace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.synthetic.SyntheticVitalsConfig;
import dev.millrace.io.synthetic.VitalsGenerator;
import dev.millrace.pipelines.patients.PatientMonitoring;
import dev.millrace.pipelines.patients.PatientMonitoringOptions;
import dev.millrace.testing.TemplateRuns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The patient baseline's rows are patient-monitoring's rows: its ratio is against the same work. */
class PlainJavaPatientBaselineTest {
  @Test
  void theBaselineWritesWhatTheTemplateWrites(@TempDir Path dir) throws Exception {
    VitalsGenerator generator = new VitalsGenerator(SyntheticVitalsConfig.defaults()
        .withSeed(5).withEventsPerSecond(2).withPatients(20).withDuplicateFraction(0.02).withMalformedFraction(0.02));
    List<String> lines = new ArrayList<>();
    for (long n = 0; n < 1_500; n++) {
      lines.addAll(generator.recordsOf(n));
    }
    // Boundaries: edge-1's home is (0, 0) with a safe radius of 1000 m (556 m inside, 1012 m outside); a
    // silence of exactly 2m is not one, 2m + 1 ms is; a patient not in the registry is rejected.
    String edge = "{\"patient_id\":\"%s\",\"event_time\":\"%s\",\"heart_rate\":60,\"spo2\":98,\"lat\":%s,\"lon\":0}";
    lines.add(String.format(edge, "edge-1", "2026-01-01T00:00:00Z", "0.005"));
    lines.add(String.format(edge, "edge-1", "2026-01-01T00:01:00Z", "0.0091"));
    lines.add(String.format(edge, "edge-1", "2026-01-01T00:03:00Z", "0"));
    lines.add(String.format(edge, "edge-1", "2026-01-01T00:05:00.001Z", "0"));
    lines.add(String.format(edge, "edge-1", "2026-01-01T00:05:00.001Z", "0"));
    lines.add(String.format(edge, "nobody", "2026-01-01T00:03:00Z", "0"));
    // edge-2 at home, 3 readings a minute for 10 minutes, 120 bpm (max 100) and SpO2 85: tachycardia from the
    // third window on, low SpO2 from the first.
    for (int i = 0; i < 30; i++) {
      lines.add(String.format(edge, "edge-2", java.time.Instant.parse("2026-01-01T02:00:00Z").plusSeconds(20L * i), "0")
          .replace("\"heart_rate\":60,\"spo2\":98", "\"heart_rate\":120,\"spo2\":85"));
    }
    lines.add("");
    Path input = dir.resolve("readings.jsonl");
    Files.write(input, lines, StandardCharsets.UTF_8);
    List<String> registry = new ArrayList<>(generator.registryJsonLines());
    registry.add("{\"patient_id\":\"edge-1\",\"home_lat\":0,\"home_lon\":0,\"safe_radius_m\":1000,"
        + "\"max_heart_rate\":100,\"caregiver\":\"edge@example.org\"}");
    registry.add("{\"patient_id\":\"edge-2\",\"home_lat\":0,\"home_lon\":0,\"safe_radius_m\":1000,"
        + "\"max_heart_rate\":100,\"caregiver\":\"edge2@example.org\"}");
    Files.write(dir.resolve("registry.jsonl"), registry, StandardCharsets.UTF_8);

    Path template = dir.resolve("template");
    PatientMonitoring.run(PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt("--runner=DirectRunner", "--source=file",
        "--input=" + input, "--registry=" + dir.resolve("registry.jsonl"), "--output=" + template))
        .as(PatientMonitoringOptions.class)).waitUntilFinish();
    Path baseline = dir.resolve("baseline");
    PlainJavaPatientBaseline.main(new String[] {input.toString(), baseline.toString()});

    Map<String, List<String>> actual = BaselineRows.assertSameAsTemplate(template, baseline, "notifications", "vitals_stats");
    for (String kind : List.of("left_safe_zone", "returned_home", "tachycardia", "low_spo2", "device_silent")) {
      assertThat(actual.get("notifications")).as(kind).anyMatch(row -> row.contains("|" + kind + "|"));
    }
    assertThat(actual.get("notifications")).filteredOn(row -> row.startsWith("edge-1|")).extracting(
        row -> row.split("\\|")[1]).containsExactlyInAnyOrder("left_safe_zone", "returned_home", "device_silent",
        "device_silent");
    assertThat(actual.get("vitals_stats")).noneMatch(row -> row.startsWith("nobody|"));
    assertThat(actual.get("notifications")).anyMatch(row -> row.startsWith("edge-2|tachycardia|"))
        .anyMatch(row -> row.startsWith("edge-2|low_spo2|"));
  }
}
