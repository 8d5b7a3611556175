package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.pipelines.clickstream.ClickstreamAnalytics;
import dev.millrace.pipelines.clickstream.ClickstreamAnalyticsOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class RunnerSupportTest {
  /** Stands in for Beam's SparkRunner, which is not on this module's classpath. */
  public static final class SparkStandInRunner extends PipelineRunner<PipelineResult> {
    public static SparkStandInRunner fromOptions(PipelineOptions options) {
      return new SparkStandInRunner();
    }

    @Override
    public PipelineResult run(Pipeline pipeline) {
      throw new UnsupportedOperationException();
    }
  }

  static ClickstreamAnalyticsOptions options(String... args) {
    ClickstreamAnalyticsOptions options =
        PipelineOptionsFactory.fromArgs(args).as(ClickstreamAnalyticsOptions.class);
    options.setRunner(SparkStandInRunner.class);
    return options;
  }

  @Test
  void sparkRefusesAnUnboundedRunWithTheReasonAndTheAlternatives() {
    ClickstreamAnalyticsOptions options = options("--maxEvents=0");
    assertThat(RunnerSupport.check(options, ClickstreamAnalytics.build(options)))
        .contains("cannot run this pipeline unbounded")
        .contains("--runner=FlinkRunner");
  }

  @Test
  void sparkAcceptsABoundedRun() {
    ClickstreamAnalyticsOptions options = options("--maxEvents=100");
    assertThat(RunnerSupport.check(options, ClickstreamAnalytics.build(options))).isNull();
  }
}
