package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.synthetic.SyntheticClickstreamConfig;
import dev.millrace.testing.IntegrationTest;
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
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once under faults, as {@code bin/millrace chaos} runs them on the local stack (Kinesis
 * emulator, a Flink cluster of two TaskManagers): a TaskManager SIGKILLed, a stop with a savepoint
 * and a resubmission from it, a rescale (savepoint, resume at another parallelism), the Kinesis
 * emulator paused. The streaming job's final panes and dead letters must equal a fault-free
 * DirectRunner run of the same file, row for row: nothing lost, nothing counted twice.
 */
@IntegrationTest
class ChaosTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  @AfterAll
  static void stopTheStack() throws Exception {
    LocalServers.local("down");
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

  @Test
  void clickstreamUnderEveryFaultEqualsAFaultFreeRun() throws Exception {
    Path input = writeInput(dir);
    Path oracle = RunnerParityTest.run(dir, input, "direct", "millrace-direct.jar", "--allowedLateness=1h");
    Path output = dir.resolve("chaos");
    JsonNode result = chaos("clickstream-analytics", input, output, "all",
        "--outageSeconds=10", "--allowedLateness=1h", "--idleTimeout=10s");

    System.out.println("ChaosTest: " + result); // the figures: records/s, recovery seconds, checkpoint bytes
    List<String> injected = new ArrayList<>();
    result.get("faults").forEach(f -> injected.add(f.get("fault").asText()));
    assertThat(injected).as("every fault injected, in turn: %s", result)
        .containsExactly("kill-taskmanager", "savepoint-restart", "rescale", "kinesis-outage");
    assertThat(result.get("restarts").asInt()).as("restarts after the kill: %s", result).isGreaterThanOrEqualTo(1);
    assertThat(result.get("job_state").asText()).isEqualTo("FINISHED");

    Map<String, String> expected = finalPanes(oracle);
    assertThat(expected).hasSizeGreaterThan(300);
    assertThat(finalPanes(output)).as("page_stats, last pane per window and page").containsExactlyEntriesOf(expected);
    assertThat(deadLetters(output)).as("dead letters").containsExactlyElementsOf(deadLetters(oracle));
  }

  /** Runs {@code millrace chaos TEMPLATE ...} as bin/millrace does; returns its last line, the JSON result. */
  static JsonNode chaos(String template, Path input, Path output, String faults, String... templateArgs)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", RunnerParityTest.jarPath("millrace-direct.jar").toString(), "chaos", template,
        "--input=" + input, "--output=" + output, "--faults=" + faults));
    command.addAll(List.of(templateArgs));
    Path log = dir.resolve("chaos-" + template + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("MILLRACE_ROOT", RunnerParityTest.ROOT.toString());
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
