package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.parquet.LocalParquetFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unbounded run on embedded Flink, with checkpoints: page_stats windows must appear as Parquet
 * files while the job runs, as the watermark passes them, not only when it ends (it never does).
 */
class FlinkStreamingTest {
  static final Pattern WINDOW = Pattern.compile("page_stats-(\\d{8}T\\d{6}Z)-\\d{8}T\\d{6}Z-p(\\d+)-");

  @Test
  void writesWindowsAsTheWatermarkPassesThem(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("out");
    Path log = dir.resolve("flink-streaming.log");
    Process job =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                RunnerParityTest.jarPath("millrace-flink.jar").toString(),
                "run", "clickstream-analytics",
                "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2",
                "--source=synthetic", "--maxEvents=0", "--rate=300",
                "--windowSize=5s", "--allowedLateness=5s", "--maxOutOfOrderness=2s",
                "--checkpointingInterval=2000",
                "--output=" + output)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Set<String> windows = new TreeSet<>();
    long started = System.nanoTime();
    try {
      // Generous: a loaded 2-core machine once took over 120 s to start the embedded cluster.
      long deadline = started + TimeUnit.SECONDS.toNanos(300);
      while (windows.size() < 3 && System.nanoTime() < deadline && job.isAlive()) {
        Thread.sleep(1000);
        for (Path file : LocalParquetFiles.list(output.resolve("page_stats"))) {
          Matcher m = WINDOW.matcher(file.getFileName().toString());
          if (m.find()) {
            windows.add(m.group(1));
          }
        }
      }
      assertThat(job.isAlive()).as("the unbounded job keeps running:%n%s", Files.readString(log)).isTrue();
      long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      assertThat(windows)
          .as("windows written while running, after %d s; files under the output: %s%n%s",
              waited, allFiles(output), Files.readString(log))
          .hasSizeGreaterThanOrEqualTo(3);
    } finally {
      job.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    // What is there is complete and readable: each file is renamed into place only when finished.
    List<GenericRecord> rows = LocalParquetFiles.readAll(output.resolve("page_stats"));
    assertThat(rows).isNotEmpty();
    assertThat(rows).allSatisfy(r -> assertThat((long) r.get("events")).isPositive());
  }

  /** Every file under {@code dir}, temporary ones included, to tell "nothing written" from "nothing finished". */
  private static List<String> allFiles(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()).sorted().toList();
    }
  }
}
