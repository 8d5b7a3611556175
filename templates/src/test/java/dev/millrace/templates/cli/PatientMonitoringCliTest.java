package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** patient-monitoring as a user meets it: generate a data set, run on it, query and report, bad parameters. */
class PatientMonitoringCliTest extends CliTestBase {
  @Test
  void generateRunQueryAndReport(@TempDir Path dir) throws Exception {
    Path vitals = dir.resolve("vitals.jsonl.gz");
    Path patients = dir.resolve("patients.jsonl");
    assertThat(run("generate", "--template=patient-monitoring", "--file=" + vitals, "--registryFile=" + patients,
        "--maxEvents=7200", "--rate=2", "--syntheticPatients=20", "--malformedFraction=0.01")).as(err()).isZero();
    assertThat(out()).contains("patients to " + patients).contains("vitals records (7,200 positions)");

    Path output = dir.resolve("out");
    assertThat(run("run", "patient-monitoring", "--source=file", "--input=" + vitals, "--registry=" + patients,
        "--output=" + output)).as(err()).isZero();
    assertThat(out()).contains("Run summary: patient-monitoring, DONE").contains("caregiver notifications")
        .contains("unknown_patient").containsPattern("vitals_stats rows +[1-9]").contains("OK; parsed");

    assertThat(run("query", "--output=" + output, "--format=csv",
        "SELECT kind, count(*) AS n FROM notifications GROUP BY 1 ORDER BY 1")).as(err()).isZero();
    assertThat(out()).startsWith("kind,n\n").contains("device_silent,").contains("left_safe_zone,")
        .contains("low_spo2,").contains("returned_home,").contains("tachycardia,");

    Path html = dir.resolve("patients-report.html");
    assertThat(run("report", "--output=" + output, "--html=" + html)).as(err()).isZero();
    String dom = Chromium.dumpDom(html);
    assertThat(dom)
        .containsPattern("data-key=\"vitals_heart_rate_per_window\"[^>]*><svg[^>]*data-rendered=\"true\"")
        .containsPattern("data-key=\"notifications_per_kind\"[^>]*><svg[^>]*data-rendered=\"true\"")
        .containsPattern("data-key=\"distance_per_window\"[^>]*><svg[^>]*data-rendered=\"true\"");
  }

  @Test
  void everyProblemWithTheParametersAtOnce(@TempDir Path dir) {
    assertThat(run("run", "patient-monitoring", "--source=file", "--input=" + dir + "/none*.jsonl",
        "--tachycardiaWindows=0", "--registryRefresh=500ms", "--silence=soon", "--spo2Threshold=low"))
        .isEqualTo(2);
    assertThat(err())
        .contains("--input: no file matches")
        .contains("--registry: required with --source=file")
        .contains("--tachycardiaWindows: must match [1-9][0-9]*")
        .contains("--registryRefresh: must be at least 1s")
        .contains("--silence: must match")
        .contains("--spo2Threshold")
        .doesNotContain("\tat ");
  }

  @Test
  void aBadRegistryFailsTheBoundedRunWithWhereAndWhy(@TempDir Path dir) throws Exception {
    Path patients = dir.resolve("patients.jsonl");
    Files.writeString(patients, "{\"patient_id\":\"p1\",\"home_lat\":95,\"home_lon\":0,\"safe_radius_m\":100,"
        + "\"max_heart_rate\":120,\"caregiver\":\"c\"}\n");
    int code = run("run", "patient-monitoring", "--maxEvents=100", "--registry=" + patients,
        "--output=" + dir.resolve("o"));
    assertThat(code).isNotZero();
    assertThat(err()).contains("patients.jsonl:1: field 'home_lat' must be in -90.0..90.0, but was 95.0");
  }
}
