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
 * patient-monitoring unchanged on every runner: a generated data set (every notification pattern,
 * unknown patients, duplicates, malformed records) through the Direct, Flink and Spark jars from files,
 * and through Flink from the local Kinesis emulator with notifications published to a second stream,
 * gives the same vitals statistics, notifications and dead letters row for row.
 */
class PatientParityTest {
  static final String KINESIS = FraudParityTest.KINESIS;
  static final String[] STATS = {"patient_id", "window_start", "window_end", "readings", "avg_heart_rate",
      "max_heart_rate", "min_spo2", "avg_spo2", "max_distance_m", "pane_index", "pane_timing"};
  static final String[] NOTIFICATIONS = {"patient_id", "kind", "event_time", "caregiver", "detail"};
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
    List<String> all = new ArrayList<>(List.of("run", "patient-monitoring",
        "--registry=" + dir.resolve("patients.jsonl"), "--output=" + output));
    all.addAll(args);
    assertThat(RunnerParityTest.millrace(dir, name, jar, all)).contains("Run summary: patient-monitoring, DONE");
    return output;
  }

  @Test
  void directFlinkSparkAndKinesisGiveTheSameStatsAndNotifications() throws Exception {
    Path vitals = dir.resolve("vitals.jsonl");
    String generated = RunnerParityTest.millrace(dir, "generate", "millrace-direct.jar", List.of("generate",
        "--template=patient-monitoring", "--file=" + vitals, "--registryFile=" + dir.resolve("patients.jsonl"),
        "--maxEvents=7200", "--rate=2", "--syntheticPatients=20", "--malformedFraction=0.02",
        "--duplicateFraction=0.01"));
    assertThat(generated).contains("patients to");
    long records = Files.lines(vitals).count();

    List<String> file = List.of("--source=file", "--input=" + vitals);
    Path direct = run("direct", "millrace-direct.jar", file);
    Path flink = run("flink", "millrace-flink.jar", FraudParityTest.concat(file, "--runner=FlinkRunner",
        "--flinkMaster=[local]", "--parallelism=2"));
    Path spark = run("spark", "millrace-spark.jar", FraudParityTest.concat(file, "--runner=SparkRunner",
        "--sparkMaster=local[2]"));

    String stream = "vitals-" + System.nanoTime();
    String notificationsStream = "notifications-" + System.nanoTime();
    String produced = RunnerParityTest.millrace(dir, "produce", "millrace-direct.jar",
        List.of("produce", "--stream=" + stream, "--shards=2", "--source=file", "--input=" + vitals, KINESIS));
    assertThat(produced).contains(String.format("put %,d records", records)).contains("0 failed");
    try (KinesisClient kinesis = FraudParityTest.client()) {
      new KinesisProducer(kinesis, notificationsStream).ensureStream(1);
      Path fromKinesis = run("flink-kinesis", "millrace-flink.jar", List.of("--source=kinesis", "--stream=" + stream,
          "--maxRecords=" + records, "--maxReadTime=5m", KINESIS, "--notificationsStream=" + notificationsStream,
          "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));

      List<String> stats = LocalParquetFiles.rows(direct.resolve("vitals_stats"), STATS);
      assertThat(stats).hasSizeGreaterThan(500);
      List<String> notifications = LocalParquetFiles.rows(direct.resolve("notifications"), NOTIFICATIONS);
      for (String kind : List.of("left_safe_zone", "returned_home", "tachycardia", "low_spo2", "device_silent")) {
        assertThat(notifications).as(kind).anyMatch(n -> n.contains("|" + kind + "|"));
      }
      List<String> deadLetters = LocalParquetFiles.rows(direct.resolve("dead_letter"), DEAD_LETTERS);
      assertThat(deadLetters).anyMatch(d -> d.startsWith("unknown_patient|"));
      for (Path other : List.of(flink, spark, fromKinesis)) {
        String name = other.getFileName().toString();
        assertThat(LocalParquetFiles.rows(other.resolve("vitals_stats"), STATS)).as(name + " vitals_stats")
            .containsExactlyElementsOf(stats);
        assertThat(LocalParquetFiles.rows(other.resolve("notifications"), NOTIFICATIONS)).as(name + " notifications")
            .containsExactlyElementsOf(notifications);
        assertThat(LocalParquetFiles.rows(other.resolve("dead_letter"), DEAD_LETTERS)).as(name + " dead_letter")
            .containsExactlyElementsOf(deadLetters);
      }

      // The notifications stream holds one JSON record per notification, each with its de-duplication id.
      TreeSet<String> published = new TreeSet<>();
      for (String record : FraudParityTest.readAll(kinesis, notificationsStream)) {
        published.add(record.replaceAll(".*\"notification_id\":\"([^\"]+)\".*", "$1"));
      }
      assertThat(published).hasSize(notifications.size());
    }
  }
}
