package dev.millrace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.synthetic.SensorGenerator;
import dev.millrace.io.synthetic.SyntheticSensorConfig;
import dev.millrace.pipelines.maintenance.PredictiveMaintenance;
import dev.millrace.pipelines.maintenance.PredictiveMaintenanceOptions;
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

/** The maintenance baseline's rows are predictive-maintenance's rows: its ratio is against the same work. */
class PlainJavaMaintenanceBaselineTest {
  @Test
  void theBaselineWritesWhatTheTemplateWrites(@TempDir Path dir) throws Exception {
    SensorGenerator generator = new SensorGenerator(SyntheticSensorConfig.defaults()
        .withSeed(3).withEventsPerSecond(5).withDevices(8).withDuplicateFraction(0.02).withMalformedFraction(0.02));
    List<String> lines = new ArrayList<>();
    for (long n = 0; n < 1_500; n++) {
      lines.addAll(generator.recordsOf(n));
    }
    // Boundaries: twice the max vibration is no spike, a hair more is; a silence of exactly 5m is not
    // one, 5m + 1 ms is; an unregistered device gets health rows and no alerts.
    String edge = "{\"device_id\":\"%s\",\"event_time\":\"%s\",\"temperature_c\":%s,\"vibration_mm_s\":%s,\"rpm\":10}";
    lines.add(String.format(edge, "edge-1", "2026-01-01T00:00:00Z", "20", "10"));
    lines.add(String.format(edge, "edge-1", "2026-01-01T00:05:00Z", "20", "10.001"));
    lines.add(String.format(edge, "edge-1", "2026-01-01T00:10:00.001Z", "60", "1"));
    lines.add(String.format(edge, "edge-1", "2026-01-01T00:10:00.001Z", "60", "1"));
    lines.add(String.format(edge, "nobody", "2026-01-01T00:03:00Z", "90", "900"));
    // A vibration rising 1.5 mm/s a minute, 3 readings a minute: degrading once 20 readings are in a window;
    // 60 C against a max of 50: overheating from the third window on.
    for (int i = 0; i < 40; i++) {
      lines.add(String.format(edge, "edge-2", java.time.Instant.parse("2026-01-01T01:00:00Z").plusSeconds(20L * i),
          "60", String.valueOf(1 + 0.5 * i)));
    }
    lines.add("");
    lines.add("{\"device_id\":\"edge-1\"}");
    Path input = dir.resolve("readings.jsonl");
    Files.write(input, lines, StandardCharsets.UTF_8);
    List<String> registry = new ArrayList<>(generator.registryJsonLines());
    registry.add("{\"device_id\":\"edge-1\",\"model\":\"m\",\"site\":\"edge\",\"max_temperature_c\":50,"
        + "\"max_vibration_mm_s\":5,\"installed_date\":null}");
    registry.add("{\"device_id\":\"edge-2\",\"model\":\"m\",\"site\":\"edge\",\"max_temperature_c\":50,"
        + "\"max_vibration_mm_s\":500,\"installed_date\":null}");
    Files.write(dir.resolve("registry.jsonl"), registry, StandardCharsets.UTF_8);

    Path template = dir.resolve("template");
    PredictiveMaintenance.run(PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt("--runner=DirectRunner", "--source=file",
        "--input=" + input, "--registry=" + dir.resolve("registry.jsonl"), "--output=" + template))
        .as(PredictiveMaintenanceOptions.class)).waitUntilFinish();
    Path baseline = dir.resolve("baseline");
    PlainJavaMaintenanceBaseline.main(new String[] {input.toString(), baseline.toString()});

    Map<String, List<String>> actual = BaselineRows.assertSameAsTemplate(template, baseline, "alerts", "device_health");
    for (String kind : List.of("vibration_spike", "overheat", "degrading", "offline")) {
      assertThat(actual.get("alerts")).as(kind).anyMatch(row -> row.contains("|" + kind + "|"));
    }
    assertThat(actual.get("alerts")).filteredOn(row -> row.startsWith("edge-1|vibration_spike|")).hasSize(1);
    assertThat(actual.get("alerts")).filteredOn(row -> row.startsWith("edge-1|offline|")).hasSize(2);
    assertThat(actual.get("alerts")).noneMatch(row -> row.startsWith("nobody|"));
    assertThat(actual.get("alerts")).anyMatch(row -> row.startsWith("edge-2|degrading|"))
        .anyMatch(row -> row.startsWith("edge-2|overheat|"));
    assertThat(actual.get("device_health")).anyMatch(row -> row.startsWith("nobody|"));
  }
}
