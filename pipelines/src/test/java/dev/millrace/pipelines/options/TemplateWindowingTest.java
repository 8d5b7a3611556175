package dev.millrace.pipelines.options;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.transforms.window.Windowing;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class TemplateWindowingTest {
  private static final Windowing HOURLY = Windowing.fixed(Duration.standardHours(1));

  @Test
  void theOptionsDefaultsAreWindowingsDefaults() {
    WindowingOptions defaults = PipelineOptionsFactory.as(WindowingOptions.class);
    assertThat(TemplateWindowing.of(HOURLY, defaults)).isEqualTo(HOURLY);
  }

  @Test
  void theOptionsSetLatenessAndLateFirings() {
    WindowingOptions options = PipelineOptionsFactory.fromArgs("--allowedLateness=2m", "--lateFiringDelay=0s")
        .as(WindowingOptions.class);
    Windowing windowing = TemplateWindowing.of(Windowing.sessions(Duration.standardMinutes(30)), options);
    assertThat(windowing.kind()).isEqualTo(Windowing.Kind.SESSIONS);
    assertThat(windowing.size()).isEqualTo(Duration.standardMinutes(30));
    assertThat(windowing.allowedLateness()).isEqualTo(Duration.standardMinutes(2));
    assertThat(windowing.lateFiringDelay()).isEqualTo(Duration.ZERO);
  }
}
