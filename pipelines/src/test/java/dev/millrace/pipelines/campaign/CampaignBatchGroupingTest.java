package dev.millrace.pipelines.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.StandInRunners.StandInFlinkRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How campaign-analytics' bounded attribution joins stamp their groups: at the window's end only in a
 * job Flink runs in batch mode (where that groups in one sort instead of two), else at the earliest
 * record, which the DirectRunner and streaming need.
 */
class CampaignBatchGroupingTest {
  @TempDir Path dir;

  CampaignAnalyticsOptions fileJob(Class<? extends PipelineRunner<?>> runner, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("--source=file", "--output=" + dir.resolve("out")));
    for (String input : List.of("impressions", "clicks", "conversions", "campaigns", "customers")) {
      args.add("--" + input + "=" + Files.writeString(dir.resolve(input + ".jsonl"), ""));
    }
    args.addAll(List.of(more));
    CampaignAnalyticsOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .as(CampaignAnalyticsOptions.class);
    options.setRunner(runner);
    return options;
  }

  /** The timestamp combiner of each of the joins' shard groupings, by step. */
  static List<String> groupStamps(Pipeline pipeline) {
    List<String> stamps = new ArrayList<>();
    pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        if (node.getFullName().contains("Shard/GroupByShard")) {
          for (PValue input : node.getInputs().values()) {
            TimestampCombiner combiner = ((PCollection<?>) input).getWindowingStrategy().getTimestampCombiner();
            stamps.add(node.getFullName().replaceAll("^Attribute/|/GroupByShard.*$", "") + "=" + combiner);
          }
        }
      }
    });
    return stamps;
  }

  @Test
  void aBoundedJobOnFlinkInBatchModeStampsGroupsAtTheWindowsEnd() throws Exception {
    assertThat(groupStamps(CampaignAnalytics.build(fileJob(StandInFlinkRunner.class))))
        .containsExactlyInAnyOrder("AttributeClicks/GroupByImpressionShard=END_OF_WINDOW",
            "AttributeConversions/GroupByUserShard=END_OF_WINDOW");
  }

  @Test
  void elsewhereGroupsAreStampedWithTheirEarliestRecord() throws Exception {
    List<String> earliest = List.of("AttributeClicks/GroupByImpressionShard=EARLIEST",
        "AttributeConversions/GroupByUserShard=EARLIEST");
    assertThat(groupStamps(CampaignAnalytics.build(fileJob(DirectRunner.class))))
        .as("DirectRunner").containsExactlyInAnyOrderElementsOf(earliest);
    assertThat(groupStamps(CampaignAnalytics.build(fileJob(StandInFlinkRunner.class, "--streaming=true"))))
        .as("Flink streaming").containsExactlyInAnyOrderElementsOf(earliest);
  }
}
