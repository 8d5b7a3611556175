package dev.millrace.testing;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Runners named like Beam's Flink and Spark runners, for tests of steps that choose an implementation
 * by runner ({@code RunnerCapabilities} matches runners by name): their pipelines are built and
 * inspected, never run.
 */
public final class StandInRunners {
  private StandInRunners() {}

  /** Named like Beam's FlinkRunner. */
  public static final class StandInFlinkRunner extends PipelineRunner<PipelineResult> {
    public static StandInFlinkRunner fromOptions(PipelineOptions options) {
      return new StandInFlinkRunner();
    }

    @Override
    public PipelineResult run(Pipeline pipeline) {
      throw new UnsupportedOperationException("only built, never run");
    }
  }

  /** Named like Beam's SparkRunner. */
  public static final class StandInSparkRunner extends PipelineRunner<PipelineResult> {
    public static StandInSparkRunner fromOptions(PipelineOptions options) {
      return new StandInSparkRunner();
    }

    @Override
    public PipelineResult run(Pipeline pipeline) {
      throw new UnsupportedOperationException("only built, never run");
    }
  }
}
