package dev.millrace.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.LocalServers;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submission to real clusters on loopback, started the way a user starts them ({@code bin/millrace
 * local up --flink --spark}): the job submitted to the Flink session cluster and to the Spark
 * standalone cluster finishes with the same rows as the DirectRunner.
 */
@IntegrationTest
class LocalClustersTest {
  @TempDir static Path dir;
  static Path input;

  @BeforeAll
  static void startClusters() throws Exception {
    input = RunnerParityTest.writeInput(dir);
    LocalServers.local("up", "--flink", "--spark");
  }

  @AfterAll
  static void stopClusters() throws Exception {
    LocalServers.local("down");
  }

  @Test
  void jobsSubmittedToFlinkAndSparkClustersWriteTheSameRowsAsDirect() throws Exception {
    Path direct = RunnerParityTest.run(dir, input, "direct", "millrace-direct.jar");
    Path flink =
        RunnerParityTest.run(dir, input, "flink-cluster", "millrace-flink.jar",
            "--runner=FlinkRunner", "--flinkMaster=127.0.0.1:8081");
    Path spark =
        RunnerParityTest.run(dir, input, "spark-cluster", "millrace-spark.jar",
            "--runner=SparkRunner", "--sparkMaster=spark://127.0.0.1:7077");

    assertThat(RunnerParityTest.pageStats(direct)).hasSizeGreaterThan(100);
    assertThat(RunnerParityTest.pageStats(flink))
        .as("Flink cluster page_stats").containsExactlyElementsOf(RunnerParityTest.pageStats(direct));
    assertThat(RunnerParityTest.pageStats(spark))
        .as("Spark cluster page_stats").containsExactlyElementsOf(RunnerParityTest.pageStats(direct));
    assertThat(RunnerParityTest.deadLetters(flink))
        .as("Flink cluster dead_letter").containsExactlyElementsOf(RunnerParityTest.deadLetters(direct));
    assertThat(RunnerParityTest.deadLetters(spark))
        .as("Spark cluster dead_letter").containsExactlyElementsOf(RunnerParityTest.deadLetters(direct));
  }
}
