package dev.millrace.transforms.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.StandInRunners.StandInFlinkRunner;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.junit.jupiter.api.Test;

class RunnerCapabilitiesTest {
  static PipelineOptions on(Class<? extends PipelineRunner<?>> runner) {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(runner);
    return options;
  }

  @Test
  void onlyFlinksBatchModeSortsGroupsStampedAtWindowEnd() {
    assertThat(RunnerCapabilities.sortsGroupsStampedAtWindowEnd(on(StandInFlinkRunner.class))).isTrue();

    PipelineOptions streaming = on(StandInFlinkRunner.class);
    streaming.as(StreamingOptions.class).setStreaming(true);
    assertThat(RunnerCapabilities.sortsGroupsStampedAtWindowEnd(streaming)).as("Flink streaming").isFalse();

    PipelineOptions dataStream = on(StandInFlinkRunner.class);
    dataStream.as(RunnerCapabilities.FlinkBatchOptions.class).setUseDataStreamForBatch(true);
    assertThat(RunnerCapabilities.sortsGroupsStampedAtWindowEnd(dataStream)).as("batch on DataStream").isFalse();

    assertThat(RunnerCapabilities.sortsGroupsStampedAtWindowEnd(on(DirectRunner.class))).as("Direct").isFalse();
  }

  @Test
  void theDataStreamOptionIsReadFromTheCommandLineAsFlinksOwn() {
    PipelineOptionsFactory.register(RunnerCapabilities.FlinkBatchOptions.class);
    PipelineOptions options = PipelineOptionsFactory.fromArgs("--useDataStreamForBatch=true").create();
    options.setRunner(StandInFlinkRunner.class);
    assertThat(RunnerCapabilities.sortsGroupsStampedAtWindowEnd(options)).isFalse();
  }
}
