package dev.millrace.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCommandTest {
  static final Path ROOT = Paths.get(System.getProperty("millrace.root", "..")).toAbsolutePath().normalize();

  @TempDir Path state;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(Map<String, String> env, String... args) {
    return LocalCommand.run(args, ROOT, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of("MILLRACE_LOCAL_DIR", state.toString()));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutACommandItShowsUsageAndExits2() {
    assertThat(run(env())).isEqualTo(2);
    assertThat(err()).startsWith("Usage: millrace local [-hV] COMMAND").contains("up", "down", "status", "logs");
    assertThat(run(env(), "--help")).isZero();
    assertThat(out()).contains("MILLRACE_LOCAL_DIR");
  }

  @Test
  void mistakesAreSaidNotThrown() {
    assertThat(run(env(), "up", "--kafka")).isEqualTo(2);
    assertThat(err()).contains("millrace local: Unknown option: '--kafka' (see: millrace local --help)");
    assertThat(run(env(), "staus")).isEqualTo(2);
    assertThat(err()).contains("'staus' (did you mean status?)");
    assertThat(run(env(), "up", "--flink", "--taskmanagers=12")).isEqualTo(1);
    assertThat(err()).contains("--taskmanagers: 1 to 9, not '12'");
    assertThat(run(env(), "kill-taskmanager", "x")).isEqualTo(2);
    assertThat(err()).contains("'x' is not an int");
    assertThat(run(env(), "kill-taskmanager", "0")).isEqualTo(1);
    assertThat(err()).contains("kill-taskmanager needs a TaskManager number (1, 2, ...)");
    assertThat(run(env(), "kill-taskmanager", "1")).isEqualTo(1);
    assertThat(err()).contains("TaskManager 1 is not running");
    assertThat(run(env(), "pause", "flink")).isEqualTo(1);
    assertThat(err()).contains("pause/resume: kinesis or s3, not 'flink'");
    assertThat(run(env(), "resume", "kinesis")).isEqualTo(1);
    assertThat(err()).contains("kinesis is not running");
    assertThat(run(env(), "logs", "kafka")).isEqualTo(1);
    assertThat(err()).contains("no service 'kafka' (one of kinesis, s3, flink, spark)");
    assertThat(run(env("MILLRACE_S3_PORT", "port"), "status")).isEqualTo(1);
    assertThat(err()).contains("MILLRACE_S3_PORT: a port number, not 'port'");
  }

  @Test
  void statusOfAStackThatIsDown() {
    assertThat(run(env(), "status")).isZero();
    assertThat(out()).isEqualTo("kinesis: down\ns3: down\nflink: down\nspark: down\n");
  }

  @Test
  void aPortInUseIsSaidBeforeAnythingStarts() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      assertThat(run(env("MILLRACE_KINESIS_PORT", String.valueOf(taken.getLocalPort())), "up", "--kinesis")).isEqualTo(1);
      assertThat(err()).contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use; stop what holds it");
    }
  }

  /** The real emulator: up, the stream made, paused and resumed, logs, down; nothing left running. */
  @Test
  @Tag("integration")
  void theKinesisEmulatorUpAndDown() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket()) {
      free.bind(new InetSocketAddress("127.0.0.1", 0));
      port = free.getLocalPort();
    }
    Map<String, String> env = env("MILLRACE_KINESIS_PORT", String.valueOf(port));
    try {
      assertThat(run(env, "up", "--kinesis")).as(err()).isZero();
      assertThat(out()).contains("Kinesis ready: http://127.0.0.1:" + port + ", stream clicks (2 shards)");
      LocalStack stack = LocalStack.of(ROOT, env, System.out, System.err);
      try (var kinesis = ((KinesisEmulator) stack.service("kinesis")).client()) {
        assertThat(kinesis.listStreams().streamNames()).containsExactly("clicks");
      }
      assertThat(run(env, "up", "--kinesis")).isZero();
      assertThat(out()).contains("Kinesis is already running");
      assertThat(run(env, "pause", "kinesis")).isZero();
      assertThat(run(env, "resume", "kinesis")).isZero();
      assertThat(out()).contains("kinesis paused", "kinesis resumed");
      assertThat(run(env, "status")).isZero();
      assertThat(out()).contains("kinesis: up (http://127.0.0.1:" + port + ")");
      assertThat(run(env, "logs", "kinesis")).isZero();
      assertThat(out()).contains("kinesis/kinesis.log (kinesis, ");
    } finally {
      assertThat(run(env, "down")).isZero();
    }
    assertThat(out()).contains("stopped Kinesis emulator");
    assertThat(run(env, "status")).isZero();
    assertThat(out()).endsWith("kinesis: down\ns3: down\nflink: down\nspark: down\n");
  }
}
