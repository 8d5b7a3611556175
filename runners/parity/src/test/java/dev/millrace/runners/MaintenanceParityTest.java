package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.kinesis.KinesisProducer;
import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.testing.LocalServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * predictive-maintenance unchanged on every runner: a generated data set (every alert pattern,
 * unregistered devices, duplicates, malformed records) through the Direct, Flink and Spark jars from
 * files, and through Flink from the local Kinesis emulator with alerts published to a second stream,
 * gives the same device health rows, alerts and dead letters row for row.
 */
class MaintenanceParityTest {
  static final String KINESIS = FraudParityTest.KINESIS;
  static final String[] HEALTH = {"device_id", "window_start", "window_end", "readings", "avg_temperature_c",
      "max_temperature_c", "avg_vibration_mm_s", "max_vibration_mm_s", "avg_rpm", "vibration_slope", "site", "model",
      "pane_index", "pane_timing"};
  static final String[] ALERTS = {"device_id", "alert", "event_time", "site", "model", "detail"};
  static final String[] DEAD_LETTERS = {"error", "message", "payload"};

  @TempDir static Path dir;

  @BeforeAll
  static void startEmulator() throws Exception {
    LocalServers.local("up", "--kinesis");
  }

  @AfterAll
  static void stopEmulator() throws Exception {
    LocalServers.local("down", "--kinesis");
  }

  static Path run(String name, String jar, List<String> args) throws Exception {
    Path output = dir.resolve(name);
    List<String> all = new ArrayList<>(List.of("run", "predictive-maintenance",
        "--registry=" + dir.resolve("devices.jsonl"), "--output=" + output));
    all.addAll(args);
    assertThat(RunnerParityTest.millrace(dir, name, jar, all)).contains("Run summary: predictive-maintenance, DONE");
    return output;
  }

  @Test
  void directFlinkSparkAndKinesisGiveTheSameHealthAndAlerts() throws Exception {
    Path readings = dir.resolve("readings.jsonl");
    // 14 devices reading every 14 s for 100 minutes: every pattern fires, a few times.
    String generated = RunnerParityTest.millrace(dir, "generate", "millrace-direct.jar", List.of("generate",
        "--template=predictive-maintenance", "--file=" + readings, "--registryFile=" + dir.resolve("devices.jsonl"),
        "--maxEvents=6000", "--rate=1", "--syntheticDevices=14", "--malformedFraction=0.02",
        "--duplicateFraction=0.01"));
    assertThat(generated).contains("wrote 13 devices");
    long records = Files.lines(readings).count();

    List<String> file = List.of("--source=file", "--input=" + readings);
    Path direct = run("direct", "millrace-direct.jar", file);
    Path flink = run("flink", "millrace-flink.jar", FraudParityTest.concat(file, "--runner=FlinkRunner",
        "--flinkMaster=[local]", "--parallelism=2"));
    Path spark = run("spark", "millrace-spark.jar", FraudParityTest.concat(file, "--runner=SparkRunner",
        "--sparkMaster=local[2]"));

    String stream = "readings-" + System.nanoTime();
    String alertsStream = "maintenance-alerts-" + System.nanoTime();
    String produced = RunnerParityTest.millrace(dir, "produce", "millrace-direct.jar",
        List.of("produce", "--stream=" + stream, "--shards=2", "--source=file", "--input=" + readings, KINESIS));
    assertThat(produced).contains(String.format("put %,d records", records)).contains("0 failed");
    try (KinesisClient kinesis = FraudParityTest.client()) {
      new KinesisProducer(kinesis, alertsStream).ensureStream(1);
      Path fromKinesis = run("flink-kinesis", "millrace-flink.jar", List.of("--source=kinesis", "--stream=" + stream,
          "--maxRecords=" + records, "--maxReadTime=5m", KINESIS, "--alertsStream=" + alertsStream,
          "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));

      List<String> health = LocalParquetFiles.rows(direct.resolve("device_health"), HEALTH);
      assertThat(health).hasSizeGreaterThan(1000);
      List<String> alerts = LocalParquetFiles.rows(direct.resolve("alerts"), ALERTS);
      for (String kind : List.of("vibration_spike", "overheat", "degrading", "offline")) {
        assertThat(alerts).as(kind).anyMatch(a -> a.contains("|" + kind + "|"));
      }
      List<String> deadLetters = LocalParquetFiles.rows(direct.resolve("dead_letter"), DEAD_LETTERS);
      assertThat(deadLetters).hasSizeGreaterThan(60);
      for (Path other : List.of(flink, spark, fromKinesis)) {
        String name = other.getFileName().toString();
        assertThat(LocalParquetFiles.rows(other.resolve("device_health"), HEALTH)).as(name + " device_health")
            .containsExactlyElementsOf(health);
        assertThat(LocalParquetFiles.rows(other.resolve("alerts"), ALERTS)).as(name + " alerts")
            .containsExactlyElementsOf(alerts);
        assertThat(LocalParquetFiles.rows(other.resolve("dead_letter"), DEAD_LETTERS)).as(name + " dead_letter")
            .containsExactlyElementsOf(deadLetters);
      }

      // The alerts stream holds one JSON record per alert, each with its de-duplication id.
      TreeSet<String> published = new TreeSet<>();
      for (String record : FraudParityTest.readAll(kinesis, alertsStream)) {
        published.add(record.replaceAll(".*\"alert_id\":\"([^\"]+)\".*", "$1"));
      }
      assertThat(published).hasSize(alerts.size());
    }
  }
}
