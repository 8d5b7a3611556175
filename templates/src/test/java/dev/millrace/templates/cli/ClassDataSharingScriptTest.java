package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.JobJvm;
import dev.millrace.testing.LocalServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/lib/cds.sh, which bin/millrace sources: which JVM options a job gets for the jar's class-data
 * archive, and what becomes of a first job's dump. Runs the functions in bash on a stand-in jar (no Java).
 */
class ClassDataSharingScriptTest {
  private static final Path SCRIPT = LocalServers.root().resolve("bin/lib/cds.sh");

  @TempDir Path dir;
  private Path jar;

  @BeforeEach
  void aJar() throws IOException {
    jar = dir.resolve("millrace-direct.jar");
    Files.write(jar, new byte[1234]);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_796_591_114_874L));
  }

  @Test
  void theArchiveIsNamedAsTheTestsNameItSoThatBothShareOne() throws Exception {
    Files.write(JobJvm.classDataArchive(jar), new byte[1]);
    assertThat(flags(Map.of(), "run", "clickstream-analytics"))
        .isEqualTo("-Xlog:cds=off -Xlog:cds+dynamic=off -XX:SharedArchiveFile=" + dir
            + "/millrace-direct.jar-1796591114874-1234.jsa");
  }

  @Test
  void aJobWithoutAnArchiveDumpsOneUnderANameOfItsOwn() throws Exception {
    assertThat(flags(Map.of(), "demo")).matches(
        "-Xlog:cds=off -Xlog:cds\\+dynamic=off -XX:ArchiveClassesAtExit=" + dir
            + "/millrace-direct.jar-1796591114874-1234.jsa\\.[0-9]+\\.tmp");
  }

  @Test
  void helpDryRunsOtherCommandsAndTheSwitchGetNone() throws Exception {
    assertThat(flags(Map.of(), "run", "clickstream-analytics", "--help")).isEmpty();
    assertThat(flags(Map.of(), "run", "clickstream-analytics", "--dry-run=true")).isEmpty();
    assertThat(flags(Map.of(), "describe", "clickstream-analytics")).isEmpty();
    assertThat(flags(Map.of("MILLRACE_CDS", "off"), "run", "clickstream-analytics")).isEmpty();
  }

  @Test
  void aFinishedDumpTakesTheArchivesPlaceAndOlderBuildsArchivesGo() throws Exception {
    Path older = dir.resolve("millrace-direct.jar-1700000000000-999.jsa");
    Files.write(older, new byte[1]);
    Path otherJarsArchive = dir.resolve("millrace-flink.jar-1700000000000-999.jsa");
    Files.write(otherJarsArchive, new byte[1]);
    bash(Map.of(), "class_data_sharing \"$JAR\" run x; printf data > \"$cds_dump\"; keep_class_data_archive");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted()).containsExactly(
          "millrace-direct.jar", "millrace-direct.jar-1796591114874-1234.jsa", "millrace-flink.jar-1700000000000-999.jsa");
    }
  }

  @Test
  void aFailedJobLeavesNoArchive() throws Exception {
    bash(Map.of(), "class_data_sharing \"$JAR\" run x; printf data > \"$cds_dump\"; cds_dump_failed; keep_class_data_archive");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("millrace-direct.jar");
    }
  }

  private String flags(Map<String, String> env, String... args) throws Exception {
    return bash(env, "class_data_sharing \"$JAR\" " + String.join(" ", args)
        + "; echo ${cds_flags[@]+\"${cds_flags[@]}\"}").strip();
  }

  private String bash(Map<String, String> env, String script) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(List.of("bash", "-c", "set -euo pipefail; source \"$SCRIPT\"; " + script));
    builder.environment().remove("MILLRACE_CDS");
    builder.environment().putAll(env);
    builder.environment().put("SCRIPT", SCRIPT.toString());
    builder.environment().put("JAR", jar.toString());
    builder.redirectErrorStream(true);
    Process process = builder.start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("bash did not finish in 30 s: " + script);
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }
}
