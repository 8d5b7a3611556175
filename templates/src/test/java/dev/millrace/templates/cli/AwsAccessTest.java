package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.pipelines.options.Problem;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsAccessTest {
  static Optional<Problem> withoutARegion(String... args) {
    return AwsAccess.regionProblem(args, () -> null);
  }

  @Test
  void anS3OutputOnAwsWithoutARegionIsAProblemThatNamesTheLocalStack() {
    Optional<Problem> problem = withoutARegion("--source=file", "--input=in.jsonl", "--output=s3://bucket/out");
    assertThat(problem).get().extracting(Problem::option).isEqualTo("--awsRegion");
    assertThat(problem.get().message())
        .startsWith("needed to reach S3 on AWS, and none is set")
        .contains("bin/millrace local up", "--endpoint");
  }

  @Test
  void kinesisOnAwsWithoutARegion() {
    assertThat(withoutARegion("--source=kinesis", "--stream=clicks", "--output=out")).get()
        .extracting(Problem::message).asString().startsWith("needed to reach Kinesis on AWS").contains("--kinesisEndpoint");
    // A stream published to is Kinesis too.
    assertThat(withoutARegion("--source=file", "--input=t.jsonl", "--alertsStream=alerts", "--output=out")).isPresent();
    assertThat(withoutARegion("--source=kinesis", "--stream=s", "--output=S3://b/o")).get()
        .extracting(Problem::message).asString().startsWith("needed to reach S3 and Kinesis on AWS");
  }

  @Test
  void noProblemWithARegionOrAnEndpointOrNothingOnAws() {
    assertThat(withoutARegion("--output=s3://b/o", "--awsRegion=eu-west-1")).isEmpty();
    assertThat(AwsAccess.regionProblem(new String[] {"--output=s3://b/o"}, () -> "eu-west-1")).isEmpty();
    assertThat(withoutARegion("--output=s3://b/o", "--endpoint=http://127.0.0.1:4590")).isEmpty();
    assertThat(withoutARegion("--source=kinesis", "--stream=s", "--kinesisEndpoint=http://127.0.0.1:4568")).isEmpty();
    assertThat(withoutARegion("--source=kinesis", "--stream=s", "--endpoint=http://127.0.0.1:4590")).isEmpty();
    assertThat(withoutARegion("--source=file", "--input=in.jsonl", "--output=out", "--streaming=true")).isEmpty();
    // An empty --awsRegion or endpoint is none.
    assertThat(withoutARegion("--output=s3://b/o", "--awsRegion=")).isPresent();
    assertThat(withoutARegion("--output=s3://b/o", "--endpoint=")).isPresent();
  }

  @Test
  void whatARunUses() {
    assertThat(AwsAccess.usesKinesis(new String[] {"--streaming=true", "--stream="})).isFalse();
    assertThat(AwsAccess.usesKinesis(new String[] {"--impressionsStream=i"})).isTrue();
    assertThat(AwsAccess.usesS3(new String[] {"--accounts=s3://b/a.jsonl"})).isTrue();
    assertThat(AwsAccess.usesS3(new String[] {"--output=out/s3://x"})).isFalse();
  }

  // Found by hand: the job failed with "ConnectException: Connection refused" and no word of what.
  @Test
  void aLoopbackEndpointThatDoesNotAnswerIsSaidBeforeTheJob() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    String down = "http://127.0.0.1:" + closed;
    assertThat(AwsAccess.unreachableLoopbackEndpoint(new String[] {"--source=kinesis", "--stream=s", "--kinesisEndpoint=" + down}))
        .startsWith("--kinesisEndpoint: nothing answers at 127.0.0.1:" + closed)
        .endsWith("start the local servers with `bin/millrace local up`");
    assertThat(AwsAccess.unreachableLoopbackEndpoint(new String[] {"--output=s3://b/o", "--endpoint=" + down}))
        .startsWith("--endpoint: nothing answers");
    // Kinesis falls back to --endpoint.
    assertThat(AwsAccess.unreachableLoopbackEndpoint(new String[] {"--alertsStream=a", "--endpoint=" + down})).isNotNull();
    // Not used by the run, or not on loopback: not checked.
    assertThat(AwsAccess.unreachableLoopbackEndpoint(new String[] {"--output=out", "--kinesisEndpoint=" + down})).isNull();
    assertThat(AwsAccess.unreachableLoopbackEndpoint(new String[] {"--output=s3://b/o", "--endpoint=http://s3.example:1"}))
        .isNull();
    try (java.net.ServerSocket up = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(AwsAccess.unreachableLoopbackEndpoint(new String[] {"--output=s3://b/o",
          "--endpoint=http://127.0.0.1:" + up.getLocalPort()})).isNull();
    }
  }
}
