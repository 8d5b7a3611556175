package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.JobJvm;
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
@IntegrationTest
class FlinkStreamingTest {
  static final Pattern WINDOW = Pattern.compile("page_stats-(\\d{8}T\\d{6}Z)-\\d{8}T\\d{6}Z-p(\\d+)-");

  @Test
  void writesWindowsAsTheWatermarkPassesThem(@TempDir Path dir) throws Exception {
    // On Beam 2.62 a job twice wrote nothing at all for 300 s while alive, in CI only; not seen since
    // Beam 2.70 (22 runs of this job by hand, 10 of them beside a busy core). Its cause was not
    // found, so a job that writes nothing fails the test with its task threads in the message.
    Path output = dir.resolve("out");
    Set<String> windows = watchWindows(output, dir.resolve("job.log"), 240);
    assertThat(windows).as("windows written while running; files under the output: %s%s", allFiles(output),
            windows.isEmpty() ? taskThreads() : "")
        .hasSizeGreaterThanOrEqualTo(3);
    // What is there is complete and readable: each file is renamed into place only when finished.
    List<GenericRecord> rows = LocalParquetFiles.readAll(output.resolve("page_stats"));
    assertThat(rows).isNotEmpty();
    assertThat(rows).allSatisfy(r -> assertThat((long) r.get("events")).isPositive());
  }

  static final Path STALL_DUMP = RunnerParityTest.ROOT.resolve("runners/parity/target/flink-streaming-stall.txt");

  /**
   * Runs the unbounded job until it has written 3 windows or {@code seconds} pass, and returns the
   * windows it wrote; a job that wrote nothing gets its threads dumped to {@link #STALL_DUMP} first.
   */
  static Set<String> watchWindows(Path output, Path log, int seconds) throws Exception {
    Process job =
        new ProcessBuilder(JobJvm.command(RunnerParityTest.jarPath("millrace-flink.jar"), List.of(
                "run", "clickstream-analytics",
                "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2",
                "--source=synthetic", "--maxEvents=0", "--rate=300",
                "--windowSize=5s", "--allowedLateness=5s", "--maxOutOfOrderness=2s",
                "--checkpointingInterval=2000",
                "--output=" + output)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Set<String> windows = new TreeSet<>();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
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
      if (allFiles(output).isEmpty()) {
        Process dump = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString(),
            String.valueOf(job.pid()), "Thread.print").redirectErrorStream(true).redirectOutput(STALL_DUMP.toFile())
            .start();
        dump.waitFor(60, TimeUnit.SECONDS);
        Files.writeString(STALL_DUMP, "\n--- job log ---\n" + Files.readString(log), java.nio.file.StandardOpenOption.APPEND);
      }
    } finally {
      job.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    return windows;
  }

  /** The Flink task threads of the stall dump, a few frames each: where a stalled job's tasks wait. */
  static String taskThreads() throws java.io.IOException {
    if (!Files.exists(STALL_DUMP)) {
      return "";
    }
    StringBuilder out = new StringBuilder("\ntask threads of the stalled job:\n");
    int frames = -1;
    for (String line : Files.readAllLines(STALL_DUMP)) {
      if (line.startsWith("\"")) {
        frames = line.contains("Source") || line.contains("Window") || line.contains("Checkpoint") ? 0 : -1;
      }
      if (frames >= 0 && frames < 10) {
        out.append(line.length() > 200 ? line.substring(0, 200) : line).append('\n');
        frames++;
      }
    }
    return out.toString();
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
