package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.s3.PathStyleS3ClientBuilderFactory;
import dev.millrace.io.synthetic.SyntheticClickstreamConfig;
import dev.millrace.testing.BeamFiles;
import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.JobJvm;
import dev.millrace.testing.LocalServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once under faults, as {@code bin/millrace chaos} runs them on the local stack (Kinesis
 * emulator, a Flink cluster of two TaskManagers, S3): a TaskManager SIGKILLed, a stop with a
 * savepoint and a resubmission from it, rescales (savepoint, resume at another parallelism: 2 -> 1
 * -> 3), the Kinesis emulator paused, the S3 server paused, all in one run. The streaming job's final panes and dead letters
 * must equal a fault-free DirectRunner run of the same file, row for row: nothing lost, nothing
 * counted twice. And a savepoint restored into a job with other tuning parameters.
 */
@IntegrationTest
class ChaosTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Servers of its own (free ports, state in .millrace/stacks/chaos-PID), as its faults kill and pause
   * them. Run beside the other parity classes (JUnit's class concurrency) it saved under a minute of
   * their 18: the chaos run alone keeps both cores busy (job submissions, restores, a 2-TaskManager
   * cluster), and a Spark streaming job beside it took three times as long.
   */
  static final LocalServers.Stack STACK = LocalServers.Stack.onFreePorts("chaos");

  @TempDir static Path dir;

  @AfterAll
  static void stopTheStack() throws Exception {
    STACK.local("down");
  }

  /** 2,500 events over ~21 minutes of event time, with duplicates, malformed, late and out-of-order ones. */
  static Path writeInput(Path dir) throws IOException {
    return RunnerParityTest.writeInput(dir, 2_500,
        SyntheticClickstreamConfig.builder()
            .setSeed(11)
            .setEventsPerSecond(2)
            .setStartTime(Instant.parse("2026-08-01T00:00:00Z"))
            .setOutOfOrderFraction(0.2)
            .setLateFraction(0.01)
            .setDuplicateFraction(0.02)
            .setMalformedFraction(0.02)
            .build());
  }

  private static Path faultFree;

  /** The fault-free run of the input: the DirectRunner reading the file (once for every test). */
  static synchronized Path oracle(Path input) throws Exception {
    if (faultFree == null) {
      faultFree = RunnerParityTest.run(dir, input, "direct", "millrace-direct.jar", "--allowedLateness=1h");
    }
    return faultFree;
  }

  /**
   * Every fault in one run, the output on the local S3 server (which stops answering for a while
   * mid-run: the job rides it out, its writes wait or fail and are retried from a checkpoint), then a
   * second rescale: the final panes and dead letters equal the fault-free run's.
   */
  @Test
  void clickstreamToS3UnderEveryFaultEqualsAFaultFreeRun() throws Exception {
    Path input = writeInput(dir);
    Path oracle = oracle(input);
    String prefix = "s3://millrace/chaos-" + System.nanoTime();
    // all (with s3-outage, as the output is on S3), then a second rescale: 2 -> 1, later 1 -> 3.
    // --rate: faster than chaos's default pace (30 s per fault), to keep the suite under 30 minutes.
    JsonNode result = chaos("clickstream-analytics", input, prefix, "all,rescale", "--rate=50",
        "--outageSeconds=10", "--allowedLateness=1h", "--idleTimeout=10s");

    System.out.println("ChaosTest: " + result); // the figures: records/s, recovery seconds, checkpoint bytes
    List<String> injected = new ArrayList<>();
    result.get("faults").forEach(f -> injected.add(f.get("fault").asText()));
    assertThat(injected).as("every fault injected, in turn: %s", result).containsExactly(
        "kill-taskmanager", "savepoint-restart", "rescale", "kinesis-outage", "s3-outage", "rescale");
    assertThat(result.get("faults").get(5).get("parallelism_from").asInt()).isEqualTo(1);
    assertThat(result.get("faults").get(5).get("parallelism_to").asInt()).isEqualTo(3);
    assertThat(result.get("restarts").asInt()).as("restarts after the kill: %s", result).isGreaterThanOrEqualTo(1);
    assertThat(result.get("job_state").asText()).isEqualTo("FINISHED");

    Path output = BeamFiles.download(PipelineOptionsFactory.fromArgs("--endpoint=" + STACK.s3Endpoint(),
        "--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName()).create(), prefix,
        dir.resolve("from-s3"));
    assertThat(finalPanes(oracle)).hasSizeGreaterThan(300);
    assertSameAsFaultFree(output, oracle);
  }

  /** The final panes and the dead letters equal the fault-free run's, row for row. */
  static void assertSameAsFaultFree(Path output, Path oracle) throws IOException {
    assertThat(finalPanes(output)).as("page_stats, last pane per window and page")
        .containsExactlyEntriesOf(finalPanes(oracle));
    assertThat(deadLetters(output)).as("dead letters").containsExactlyElementsOf(deadLetters(oracle));
  }

  /**
   * A savepoint restores into a job with another window size (step names do not depend on it): the
   * windows before the restart keep their size, those after take the new one, and every event is in
   * exactly one final pane. A job of other steps refuses the same savepoint with a hint.
   */
  @Test
  void aSavepointRestoresIntoAJobWithAnotherWindowSize() throws Exception {
    Path input = writeInput(dir);
    Path oracle = oracle(input);
    Path output = dir.resolve("resized");
    JsonNode result = chaos("clickstream-analytics", input, output.toString(), "savepoint-restart", "--rate=100",
        "--restartWith=--windowSize=2m", "--windowSize=1m", "--allowedLateness=1h", "--idleTimeout=10s");
    System.out.println("ChaosTest (window size 1m -> 2m): " + result);
    assertThat(result.get("faults").get(0).get("restarted_with").asText()).isEqualTo("--windowSize=2m");
    assertThat(result.get("job_state").asText()).isEqualTo("FINISHED");

    // Windows of both sizes may hold the same page from the same start: the key takes the end too.
    Map<String, GenericRecord> panes = finalPanesByWindow(output);
    Map<Long, Long> windowsByLength = new TreeMap<>();
    panes.values().forEach(r -> windowsByLength.merge(
        ((Number) r.get("window_end")).longValue() - ((Number) r.get("window_start")).longValue(), 1L, Long::sum));
    assertThat(windowsByLength).as("window lengths and their counts").hasSize(2);
    List<Long> lengths = new ArrayList<>(windowsByLength.keySet());
    assertThat(lengths.get(1)).isEqualTo(2 * lengths.get(0));
    assertThat(eventsPerPage(panes)).as("events per page, summed over final panes")
        .containsExactlyEntriesOf(eventsPerPage(finalPanesByWindow(oracle)));
    assertThat(deadLetters(output)).as("dead letters").containsExactlyElementsOf(deadLetters(oracle));

    // Another template's steps cannot take this state: the run says why and what to do.
    String savepoint = result.get("faults").get(0).get("restored_from").asText();
    Process other = new ProcessBuilder(JobJvm.command(RunnerParityTest.jarPath("millrace-flink.jar"), List.of(
        "run", "log-analytics", "--runner=FlinkRunner",
        "--flinkMaster=" + STACK.flinkMaster(), "--attachedMode=false", "--streaming=true", "--source=kinesis",
        "--stream=clicks", "--kinesisEndpoint=" + STACK.kinesisEndpoint(), "--output=" + dir.resolve("logs"),
        "--savepointPath=" + savepoint))).redirectErrorStream(true).start();
    String printed = new String(other.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(other.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(other.exitValue()).as(printed).isEqualTo(1);
    assertThat(printed).contains("Cannot map checkpoint/savepoint state")
        .contains("the savepoint holds the state of steps this job does not have")
        .contains("--allowNonRestoredState=true");
  }

  /** Each window (start and end) and page's last pane. */
  static Map<String, GenericRecord> finalPanesByWindow(Path output) throws IOException {
    Map<String, GenericRecord> last = new TreeMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(output.resolve("page_stats"))) {
      last.merge(r.get("window_start") + " " + r.get("window_end") + " " + r.get("page"), r, (a, b) ->
          ((Number) b.get("pane_index")).longValue() > ((Number) a.get("pane_index")).longValue() ? b : a);
    }
    return last;
  }

  /** Each page's events summed over the given panes. */
  static Map<String, Long> eventsPerPage(Map<String, GenericRecord> panes) {
    Map<String, Long> events = new TreeMap<>();
    panes.values().forEach(r -> events.merge(r.get("page").toString(), ((Number) r.get("events")).longValue(), Long::sum));
    return events;
  }

  /** Runs {@code millrace chaos TEMPLATE ...} as bin/millrace does; returns its last line, the JSON result. */
  static JsonNode chaos(String template, Path input, String output, String faults, String... templateArgs)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("chaos", template,
        "--input=" + input, "--output=" + output, "--faults=" + faults));
    args.addAll(List.of(templateArgs));
    List<String> command = JobJvm.command(RunnerParityTest.jarPath("millrace-direct.jar"), args);
    Path log = dir.resolve("chaos-" + template + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("MILLRACE_ROOT", RunnerParityTest.ROOT.toString());
    builder.environment().putAll(STACK.environment());
    Process process = builder.start();
    boolean finished = process.waitFor(15, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    String printed = Files.readString(log);
    assertThat(finished).as("chaos finished in 15 minutes:%n%s", printed).isTrue();
    assertThat(process.exitValue()).as("chaos exit code:%n%s", printed).isZero();
    List<String> lines = printed.lines().filter(l -> l.startsWith("{")).collect(Collectors.toList());
    assertThat(lines).as("a JSON result line:%n%s", printed).isNotEmpty();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  /** Each window and page's last pane (the highest pane index), without its pane fields. */
  static Map<String, String> finalPanes(Path output) throws IOException {
    Map<String, GenericRecord> last = new TreeMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(output.resolve("page_stats"))) {
      String key = r.get("window_start") + " " + r.get("page");
      GenericRecord seen = last.get(key);
      if (seen == null || ((Number) r.get("pane_index")).longValue() > ((Number) seen.get("pane_index")).longValue()) {
        last.put(key, r);
      }
    }
    Map<String, String> values = new TreeMap<>();
    last.forEach((key, r) -> values.put(key, String.join(",", RunnerParityTest.str(r, "window_end"),
        RunnerParityTest.str(r, "events"), RunnerParityTest.str(r, "views"), RunnerParityTest.str(r, "clicks"),
        RunnerParityTest.str(r, "add_to_carts"), RunnerParityTest.str(r, "purchases"),
        RunnerParityTest.str(r, "revenue"), RunnerParityTest.str(r, "unique_users"))));
    return values;
  }

  /** Dead letters by what they say (their source differs: a file line against a Kinesis sequence number). */
  static List<String> deadLetters(Path output) throws IOException {
    return RunnerParityTest.rows(output.resolve("dead_letter"), r -> String.join("|",
        RunnerParityTest.str(r, "error"), RunnerParityTest.str(r, "message"), RunnerParityTest.str(r, "payload")));
  }
}
