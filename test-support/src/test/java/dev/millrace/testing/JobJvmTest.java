package dev.millrace.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobJvmTest {
  @TempDir Path dir;

  static String flag(List<String> command, String prefix) {
    return command.stream().filter(a -> a.startsWith(prefix)).findFirst().map(a -> a.substring(prefix.length()))
        .orElse(null);
  }

  @Test
  void theFirstRunOfAJarDumpsItsClassesAndLaterJobsMapThem() throws Exception {
    Path jar = Files.writeString(dir.resolve("millrace-direct.jar"), "a jar");
    List<String> first = JobJvm.command(jar, List.of("run", "clickstream-analytics"));
    String archive = flag(first, "-XX:ArchiveClassesAtExit=");
    assertThat(archive).startsWith(dir.resolve("millrace-direct.jar-").toString()).endsWith(".jsa");
    assertThat(first).containsAll(JobJvm.QUIET_CDS).containsAll(JobJvm.SHORT_JOB_FLAGS);
    assertThat(first.subList(first.indexOf("-jar"), first.size()))
        .containsExactly("-jar", jar.toString(), "run", "clickstream-analytics");

    // While the first job has not written it, the others run without an archive (no second dump).
    assertThat(JobJvm.command(jar, List.of("run", "log-analytics"))).noneMatch(a -> a.contains("Archive"))
        .doesNotContainAnyElementsOf(JobJvm.QUIET_CDS);
    Files.writeString(Path.of(archive), "classes");
    List<String> later = JobJvm.command(jar, List.of("generate", "--file=f"));
    assertThat(flag(later, "-XX:SharedArchiveFile=")).isEqualTo(archive);
    assertThat(later).containsAll(JobJvm.QUIET_CDS);

    // A rebuilt jar gets an archive of its own.
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
    String rebuilt = flag(JobJvm.command(jar, List.of("run", "fraud-detection")), "-XX:ArchiveClassesAtExit=");
    assertThat(rebuilt).isNotNull().isNotEqualTo(archive);
  }

  @Test
  void onlyAStreamingJobOnTheDirectRunnerKeepsC2() throws Exception {
    Path direct = Files.writeString(dir.resolve("millrace-direct.jar"), "a jar");
    Path spark = Files.writeString(dir.resolve("millrace-spark.jar"), "another jar");
    assertThat(JobJvm.command(direct, List.of("run", "fraud-detection", "--streaming=true")))
        .doesNotContainAnyElementsOf(JobJvm.SHORT_JOB_FLAGS);
    assertThat(JobJvm.command(direct, List.of("run", "fraud-detection"))).containsAll(JobJvm.SHORT_JOB_FLAGS);
    assertThat(JobJvm.command(spark, List.of("run", "fraud-detection", "--streaming=true")))
        .containsAll(JobJvm.SHORT_JOB_FLAGS);
  }

  @Test
  void onlyARunDumpsAnArchive() throws Exception {
    Path jar = Files.writeString(dir.resolve("millrace-spark.jar"), "another jar");
    assertThat(JobJvm.command(jar, List.of("generate", "--file=f"))).noneMatch(a -> a.startsWith("-XX:Shared")
        || a.startsWith("-XX:Archive"));
    assertThat(flag(JobJvm.command(jar, List.of("run", "x")), "-XX:ArchiveClassesAtExit=")).isNotNull();
  }
}
