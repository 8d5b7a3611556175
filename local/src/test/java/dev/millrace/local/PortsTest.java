package dev.millrace.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortsTest {
  @TempDir Path dir;

  @Test
  void theDefaultsUnlessTheEnvironmentSaysOtherwise() throws Exception {
    Ports defaults = Ports.resolve(Map.of(), dir.resolve("ports"), false);
    assertThat(defaults.get("KINESIS")).isEqualTo(4568);
    assertThat(defaults.get("S3")).isEqualTo(4590);
    assertThat(defaults.get("FLINK")).isEqualTo(8081);
    assertThat(Ports.resolve(Map.of("MILLRACE_KINESIS_PORT", "14568"), dir.resolve("ports"), false).get("KINESIS"))
        .isEqualTo(14568);
    assertThatThrownBy(() -> defaults.get("KAFKA")).hasMessageContaining("no server KAFKA");
  }

  @Test
  void aPortThatIsNotANumberIsRefused() {
    for (String bad : new String[] {"x", "0", "65536", "-1", "80a"}) {
      assertThatThrownBy(() -> Ports.resolve(Map.of("MILLRACE_S3_PORT", bad), dir.resolve("ports"), false))
          .as(bad).isInstanceOf(LocalStackException.class).hasMessage("MILLRACE_S3_PORT: a port number, not '" + bad + "'");
    }
  }

  @Test
  void whileTheStackRunsTheRecordedPortsWin() throws Exception {
    Path file = dir.resolve("ports");
    Ports.resolve(Map.of("MILLRACE_KINESIS_PORT", "14568"), file, false).save(file);
    assertThat(Files.readAllLines(file)).contains("MILLRACE_KINESIS_PORT=14568", "MILLRACE_S3_PORT=4590").hasSize(8);
    assertThat(Ports.resolve(Map.of(), file, true).get("KINESIS")).isEqualTo(14568);
    assertThat(Ports.resolve(Map.of(), file, false).get("KINESIS")).as("nothing runs: the file is stale").isEqualTo(4568);
    assertThatThrownBy(() -> Ports.resolve(Map.of("MILLRACE_KINESIS_PORT", "24568"), file, true))
        .hasMessageContaining("run with MILLRACE_KINESIS_PORT=14568, not 24568; stop them first or set MILLRACE_LOCAL_DIR");
  }
}
