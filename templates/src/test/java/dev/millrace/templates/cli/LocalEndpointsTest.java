package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalEndpointsTest {
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
  final LocalEndpoints up =
      new LocalEndpoints(Map.of("MILLRACE_LOCAL_KINESIS", "http://127.0.0.1:4568", "MILLRACE_LOCAL_S3", "http://127.0.0.1:4590"));

  @Test
  void aRunningStackIsTheDefaultForKinesisAndS3AndSaysSo() {
    String[] args = up.withEndpoints(new String[] {"--source=kinesis", "--output=s3://b/p"}, true, "run x", errStream);
    assertThat(args).contains("--kinesisEndpoint=http://127.0.0.1:4568", "--endpoint=http://127.0.0.1:4590");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Kinesis: the local emulator at http://127.0.0.1:4568")
        .contains("S3: the local server at http://127.0.0.1:4590");
  }

  @Test
  void givenEndpointsAndUnusedServicesAreLeftAlone() {
    assertThat(up.withEndpoints(new String[] {"--source=file", "--output=/tmp/x"}, false, "run x", errStream))
        .containsExactly("--source=file", "--output=/tmp/x");
    assertThat(up.withEndpoints(new String[] {"--source=kinesis", "--endpoint=https://example"}, true, "run x", errStream))
        .containsExactly("--source=kinesis", "--endpoint=https://example");
    assertThat(up.withEndpoints(new String[] {"--kinesisEndpoint=http://h:1", "--output=/tmp/x"}, true, "run x", errStream))
        .containsExactly("--kinesisEndpoint=http://h:1", "--output=/tmp/x");
    assertThat(new LocalEndpoints(Map.of()).withEndpoints(new String[] {"--output=s3://b/p"}, true, "run x", errStream))
        .containsExactly("--output=s3://b/p");
    assertThat(err.size()).isZero();
  }

  @Test
  void theAddressesAreTheDefaultPortsUnlessTheEnvironmentOrTheStartedStackSaysOtherwise(@TempDir Path root)
      throws Exception {
    LocalEndpoints defaults = LocalEndpoints.started(root, Map.of());
    assertThat(defaults.kinesisEndpoint()).isEqualTo("http://127.0.0.1:4568");
    assertThat(defaults.s3Endpoint()).isEqualTo("http://127.0.0.1:4590");
    assertThat(defaults.flinkMaster()).isEqualTo("127.0.0.1:8081");

    assertThat(LocalEndpoints.started(root, Map.of("MILLRACE_FLINK_PORT", "18081")).flinkMaster())
        .isEqualTo("127.0.0.1:18081");

    // bin/millrace local up records the ports of a stack in its state directory; those win.
    Path second = Files.createDirectories(root.resolve("second"));
    Files.writeString(second.resolve("ports"), "MILLRACE_KINESIS_PORT=14568\nMILLRACE_S3_PORT=14590\n");
    LocalEndpoints started = LocalEndpoints.started(root, Map.of("MILLRACE_LOCAL_DIR", second.toString(),
        "MILLRACE_KINESIS_PORT", "5000"));
    assertThat(started.kinesisEndpoint()).isEqualTo("http://127.0.0.1:14568");
    assertThat(started.s3Endpoint()).isEqualTo("http://127.0.0.1:14590");
    assertThat(started.flinkMaster()).isEqualTo("127.0.0.1:8081");
    assertThat(LocalEndpoints.stateDirectory(root, Map.of())).isEqualTo(root.resolve(".millrace"));

    assertThatThrownBy(() -> new LocalEndpoints(Map.of("MILLRACE_S3_PORT", "x")).s3Endpoint())
        .hasMessageContaining("MILLRACE_S3_PORT: a port number, not 'x'");
  }
}
