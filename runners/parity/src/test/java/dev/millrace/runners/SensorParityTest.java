package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.kinesis.KinesisProducer;
import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.WithLocalServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The sensor templates unchanged on every runner: a generated data set (every alert or notification
 * pattern, unregistered ids, duplicates, malformed records) through the Direct, Flink and Spark jars
 * from files, and streaming from the local Kinesis emulator on Flink (its events published to a
 * second stream), on Spark and on Direct, gives the same rows in every dataset (windowed ones: each
 * window's last pane), dead letters included.
 */
@IntegrationTest
@WithLocalServers({"--kinesis"})
class SensorParityTest {
  static final String KINESIS = FraudParityTest.KINESIS;
  static final String[] DEAD_LETTERS = {"error", "message", "payload"};

  @TempDir static Path dir;

  /**
   * One template's case: how to generate its data, its datasets and their columns, the kinds its
   * events dataset must show, the option that publishes events and the JSON field that ids them.
   */
  record Case(String template, List<String> generate, String registryName, Map<String, String[]> datasets,
      String events, String kindColumn, List<String> kinds, String streamOption, String idField) {
    @Override
    public String toString() {
      return template;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        // 14 devices reading every 14 s for 100 minutes: every pattern fires, a few times.
        new Case("predictive-maintenance",
            List.of("--maxEvents=6000", "--rate=1", "--syntheticDevices=14"), "devices.jsonl",
            Map.of("device_health", new String[] {"device_id", "window_start", "window_end", "readings",
                    "avg_temperature_c", "max_temperature_c", "avg_vibration_mm_s", "max_vibration_mm_s", "avg_rpm",
                    "vibration_slope", "site", "model", "pane_index", "pane_timing"},
                "alerts", new String[] {"device_id", "alert", "event_time", "site", "model", "detail"}),
            "alerts", "alert", List.of("vibration_spike", "overheat", "degrading", "offline"),
            "--alertsStream", "alert_id"),
        // 20 patients reading every 10 s for an hour: every pattern fires.
        new Case("patient-monitoring",
            List.of("--maxEvents=7200", "--rate=2", "--syntheticPatients=20"), "patients.jsonl",
            Map.of("vitals_stats", new String[] {"patient_id", "window_start", "window_end", "readings",
                    "avg_heart_rate", "max_heart_rate", "min_spo2", "avg_spo2", "max_distance_m", "pane_index",
                    "pane_timing"},
                "notifications", new String[] {"patient_id", "kind", "event_time", "caregiver", "detail"}),
            "notifications", "kind",
            List.of("left_safe_zone", "returned_home", "tachycardia", "low_spo2", "device_silent"),
            "--notificationsStream", "notification_id"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void directFlinkSparkAndKinesisGiveTheSameRows(Case c) throws Exception {
    Path data = dir.resolve(c.template() + ".jsonl");
    Path registry = dir.resolve(c.template() + "-" + c.registryName());
    List<String> generate = new ArrayList<>(List.of("generate", "--template=" + c.template(), "--file=" + data,
        "--registryFile=" + registry, "--malformedFraction=0.02", "--duplicateFraction=0.01"));
    generate.addAll(c.generate());
    RunnerParityTest.millrace(dir, c.template() + "-generate", "millrace-direct.jar", generate);
    long records = Files.lines(data).count();

    List<String> file = List.of("--source=file", "--input=" + data);
    Path direct = run(c, registry, "direct", "millrace-direct.jar", file);
    Path flink = run(c, registry, "flink", "millrace-flink.jar",
        FraudParityTest.concat(file, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));
    Path spark = run(c, registry, "spark", "millrace-spark.jar",
        FraudParityTest.concat(file, "--runner=SparkRunner", "--sparkMaster=local[2]"));

    String stream = "in-" + System.nanoTime();
    String eventsStream = "events-" + System.nanoTime();
    String produced = RunnerParityTest.millrace(dir, c.template() + "-produce", "millrace-direct.jar",
        List.of("produce", "--stream=" + stream, "--shards=2", "--source=file", "--input=" + data, KINESIS));
    assertThat(produced).contains(String.format("put %,d records", records)).contains("0 failed");
    try (KinesisClient kinesis = FraudParityTest.client()) {
      new KinesisProducer(kinesis, eventsStream).ensureStream(1);
      // Streaming jobs from the stream: Flink (its events also put into a stream), Spark (runs,
      // silences and geofences swept on watermark ticks) and Direct. The input has an end, so all
      // three end with it.
      List<String> streaming = List.of("--source=kinesis", "--stream=" + stream, "--maxRecords=" + records,
          "--streaming=true", "--allowedLateness=1h", KINESIS);
      Path flinkStreaming = run(c, registry, "flink-kinesis", "millrace-flink.jar", FraudParityTest.concat(streaming,
          c.streamOption() + "=" + eventsStream, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));
      Path sparkStreaming = run(c, registry, "spark-kinesis", "millrace-spark.jar",
          FraudParityTest.concat(streaming, "--runner=SparkRunner", "--sparkMaster=local[2]"));
      Path directStreaming = run(c, registry, "direct-kinesis", "millrace-direct.jar", streaming);

      List<String> events = LocalParquetFiles.rows(direct.resolve(c.events()), c.kindColumn());
      for (String kind : c.kinds()) {
        assertThat(events).as(kind).contains(kind + "|");
      }
      List<String> deadLetters = LocalParquetFiles.rows(direct.resolve("dead_letter"), DEAD_LETTERS);
      assertThat(deadLetters).hasSizeGreaterThan(60);
      for (Map.Entry<String, String[]> dataset : c.datasets().entrySet()) {
        List<String> expected = LocalParquetFiles.rows(direct.resolve(dataset.getKey()), dataset.getValue());
        assertThat(expected).as(dataset.getKey()).hasSizeGreaterThan(10);
        for (Path other : List.of(flink, spark)) {
          assertThat(LocalParquetFiles.rows(other.resolve(dataset.getKey()), dataset.getValue()))
              .as(other.getFileName() + " " + dataset.getKey()).containsExactlyElementsOf(expected);
        }
        for (Path other : List.of(directStreaming, flinkStreaming, sparkStreaming)) {
          boolean panes = List.of(dataset.getValue()).contains("pane_index");
          assertThat(panes ? lastPanes(other, dataset.getKey(), dataset.getValue())
                  : LocalParquetFiles.rows(other.resolve(dataset.getKey()), dataset.getValue()))
              .as(other.getFileName() + " " + dataset.getKey() + (panes ? ", last panes" : ""))
              .containsExactlyElementsOf(panes ? lastPanes(direct, dataset.getKey(), dataset.getValue()) : expected);
        }
      }
      for (Path other : List.of(flink, spark, directStreaming, flinkStreaming, sparkStreaming)) {
        assertThat(LocalParquetFiles.rows(other.resolve("dead_letter"), DEAD_LETTERS))
            .as(other.getFileName() + " dead_letter").containsExactlyElementsOf(deadLetters);
      }

      // The events stream holds one JSON record per event, each with its own de-duplication id.
      TreeSet<String> published = new TreeSet<>();
      for (String record : FraudParityTest.readAll(kinesis, eventsStream)) {
        published.add(record.replaceAll(".*\"" + c.idField() + "\":\"([^\"]+)\".*", "$1"));
      }
      assertThat(published).hasSize(events.size());
    }
  }

  /**
   * Each window's last pane (the key is the row's fields before window_end, and window_end), without
   * the pane fields: a streaming run's panes are its own.
   */
  static List<String> lastPanes(Path output, String dataset, String[] fields) throws Exception {
    List<String> kept = new ArrayList<>(List.of(fields));
    kept.removeAll(List.of("pane_index", "pane_timing"));
    int keyFields = kept.indexOf("window_end") + 1;
    Map<String, String> last = new TreeMap<>();
    Map<String, Long> index = new HashMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(output.resolve(dataset))) {
      List<String> values = kept.stream().map(f -> String.valueOf(r.get(f))).toList();
      String window = String.join("|", values.subList(0, keyFields));
      long pane = ((Number) r.get("pane_index")).longValue();
      if (pane >= index.getOrDefault(window, -1L)) {
        index.put(window, pane);
        last.put(window, String.join("|", values));
      }
    }
    return new ArrayList<>(last.values());
  }

  static Path run(Case c, Path registry, String name, String jar, List<String> args) throws Exception {
    Path output = dir.resolve(c.template() + "-" + name);
    List<String> all = new ArrayList<>(List.of("run", c.template(), "--registry=" + registry, "--output=" + output));
    all.addAll(args);
    assertThat(RunnerParityTest.millrace(dir, c.template() + "-" + name, jar,
        all)).contains("Run summary: " + c.template() + ", DONE");
    return output;
  }
}
