package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackTest {
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
  final LocalStack up =
      new LocalStack(Map.of("MILLRACE_LOCAL_KINESIS", "http://127.0.0.1:4568", "MILLRACE_LOCAL_S3", "http://127.0.0.1:4590"));

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
    assertThat(new LocalStack(Map.of()).withEndpoints(new String[] {"--output=s3://b/p"}, true, "run x", errStream))
        .containsExactly("--output=s3://b/p");
    assertThat(err.size()).isZero();
  }
}
