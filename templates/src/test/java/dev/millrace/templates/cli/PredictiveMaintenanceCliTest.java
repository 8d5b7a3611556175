package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predictive-maintenance as a user meets it: generate a data set, run on it, query and report, bad parameters. */
class PredictiveMaintenanceCliTest extends CliTestBase {
  @Test
  void generateRunQueryAndReport(@TempDir Path dir) throws Exception {
    Path readings = dir.resolve("readings.jsonl.gz");
    Path devices = dir.resolve("devices.jsonl");
    assertThat(run("generate", "--template=predictive-maintenance", "--file=" + readings, "--registryFile=" + devices,
        "--maxEvents=6000", "--rate=1", "--syntheticDevices=14", "--malformedFraction=0.01")).as(err()).isZero();
    assertThat(out()).contains("wrote 13 devices to " + devices).contains("sensor reading records (6,000 positions)");
    assertThat(Files.readAllLines(devices)).hasSize(13);

    Path output = dir.resolve("out");
    assertThat(run("run", "predictive-maintenance", "--source=file", "--input=" + readings, "--registry=" + devices,
        "--output=" + output)).as(err()).isZero();
    assertThat(out()).contains("Run summary: predictive-maintenance, DONE").contains("unregistered device readings")
        .containsPattern("alerts rows +[1-9][0-9,]* +in [1-9][0-9]* file").containsPattern("device_health rows +[1-9]")
        .contains("OK; parsed");

    assertThat(run("query", "--output=" + output, "--format=csv",
        "SELECT alert, count(*) AS n FROM alerts GROUP BY 1 ORDER BY 1")).as(err()).isZero();
    assertThat(out()).startsWith("alert,n\n").contains("degrading,").contains("offline,").contains("overheat,")
        .contains("vibration_spike,");

    Path html = dir.resolve("maintenance-report.html");
    assertThat(run("report", "--output=" + output, "--html=" + html)).as(err()).isZero();
    String dom = Chromium.dumpDom(html);
    assertThat(dom)
        .containsPattern("data-key=\"device_temperature_per_window\"[^>]*><svg[^>]*data-rendered=\"true\"")
        .containsPattern("data-key=\"alerts_per_type\"[^>]*><svg[^>]*data-rendered=\"true\"")
        .containsPattern("data-key=\"alerts_per_site\"[^>]*><svg[^>]*data-rendered=\"true\"");
  }

  @Test
  void everyProblemWithTheParametersAtOnce(@TempDir Path dir) {
    assertThat(run("run", "predictive-maintenance", "--source=file", "--input=" + dir + "/none*.jsonl",
        "--overheatWindows=0", "--registryRefresh=500ms", "--silence=soon", "--windowSize=1m", "--windowPeriod=5m"))
        .isEqualTo(2);
    assertThat(err())
        .contains("--input: no file matches")
        .contains("--registry: required with --source=file")
        .contains("--overheatWindows: must match [1-9][0-9]*")
        .contains("--registryRefresh: must be at least 1s")
        .contains("--silence: must match")
        .contains("--windowPeriod: must not be longer than --windowSize")
        .doesNotContain("\tat ");
  }

  @Test
  void aBadRegistryFailsTheBoundedRunWithWhereAndWhy(@TempDir Path dir) throws Exception {
    Path devices = dir.resolve("devices.jsonl");
    Files.writeString(devices, "{\"device_id\":\"d1\",\"model\":\"m\",\"site\":\"s\",\"max_temperature_c\":80}\n");
    int code = run("run", "predictive-maintenance", "--maxEvents=100", "--registry=" + devices,
        "--output=" + dir.resolve("o"));
    assertThat(code).isNotZero();
    assertThat(err()).contains("devices.jsonl:1: required field 'max_vibration_mm_s' is missing");
  }
}
