package dev.millrace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.testing.IntegrationTest;
import dev.millrace.testing.LocalServers;
import dev.millrace.testing.WithLocalServers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The raw client stages of {@code bin/millrace-bench kinesis}, on the local emulator: what the raw put
 * writes over several calls and shards, the raw read finds again, all of it and no more, so the rates
 * the benchmark sets the pipeline's against are rates of the whole stream.
 */
@IntegrationTest
@WithLocalServers({"--kinesis"})
class KinesisBenchmarkTest {
  @Test
  void theRawReadFindsEveryRecordTheRawPutWroteOverSeveralShards() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1_234; i++) {
      lines.add("{\"n\":" + i + "}");
    }
    try (KinesisClient kinesis = KinesisBenchmark.client(LocalServers.TESTS.kinesisEndpoint())) {
      KinesisBenchmark.createStream(kinesis, "bench-raw", 3);

      KinesisBenchmark.Stage put = KinesisBenchmark.rawPut(kinesis, "bench-raw", lines);
      KinesisBenchmark.Stage read = KinesisBenchmark.rawRead(kinesis, "bench-raw", lines.size());

      assertThat(put.records()).isEqualTo(1_234);
      assertThat(read.records()).isEqualTo(1_234);
      assertThat(read.recordsPerSecond()).isPositive();
      assertThatThrownBy(() -> KinesisBenchmark.rawRead(kinesis, "bench-raw", lines.size() + 1))
          .hasMessageContaining("gave 1234 records, not 1235");
    }
  }
}
