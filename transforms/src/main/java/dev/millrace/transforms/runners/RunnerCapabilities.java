package dev.millrace.transforms.runners;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.values.PCollection;

/**
 * What the runner a pipeline is built for can do, for transforms that have a second implementation
 * for runners that lack a feature. Runners are matched by class name, so this compiles without any.
 */
public final class RunnerCapabilities {
  private RunnerCapabilities() {}

  /**
   * Whether a stateful DoFn applied to {@code input} may set event-time timers. Beam's Spark runner
   * (DStreams, Beam 2.70) refuses them on unbounded input ("EVENT_TIME not yet supported in
   * streaming mode"); it runs state and processing-time timers only. Bounded input on Spark and
   * every input on the Direct and Flink runners have them.
   */
  public static boolean eventTimeTimers(PCollection<?> input) {
    return input.isBounded() == PCollection.IsBounded.BOUNDED
        || !isSpark(input.getPipeline().getOptions());
  }

  /**
   * Whether each key of a grouping or stateful step starts bundles of its own downstream. The
   * DirectRunner's do: a stateful step over 32 shard keys cut each 100-record bundle of its input into
   * 32 of about 3, and every step after it paid its per-bundle costs (a new evaluator, a copy of each
   * touched key's state) 32 times over. There a step that spreads its input over keys for
   * parallelism should use few ({@link #DIRECT_RUNNER_KEYS}).
   */
  public static boolean bundlesPerKey(PipelineOptions options) {
    return options.getRunner().getSimpleName().equals("DirectRunner");
  }

  /** Keys enough for the DirectRunner's parallelism (its default is the cores, at least 3). */
  public static final int DIRECT_RUNNER_KEYS = 4;

  /**
   * The keys a step that spreads its input over {@code shards} keys for parallelism should use:
   * {@code shards}, or at most {@link #DIRECT_RUNNER_KEYS} where {@link #bundlesPerKey} holds.
   */
  public static int keysForParallelism(PipelineOptions options, int shards) {
    return bundlesPerKey(options) ? Math.min(shards, DIRECT_RUNNER_KEYS) : shards;
  }

  /**
   * Whether the runner's bounded GroupByKey groups twice: Beam's Flink runner (DataSet API, Beam
   * 2.70) translates it as a combine into lists, sorting and concatenating the values before the
   * shuffle and again after it; a stateful ParDo there is one grouping (sorted after the shuffle).
   */
  public static boolean groupsByKeyTwice(PipelineOptions options) {
    return options.getRunner().getSimpleName().contains("Flink");
  }

  /**
   * Whether a pipeline whose collections are all bounded runs as a batch job that sorts a GroupByKey
   * once, instead of grouping it twice ({@link #groupsByKeyTwice}), when the group is stamped at the
   * end of its window: Beam's Flink runner in batch mode (DataSet API, Beam 2.70:
   * NonMergingGroupByKeyTranslatorBatch takes non-merging windows with {@code END_OF_WINDOW} only).
   * Nothing judges lateness there, so a group's stamp cannot make rows after it late. Not with
   * {@code --streaming} or {@code --useDataStreamForBatch} (watermarks), and only the caller knows
   * the rest: Flink runs a pipeline as streaming when it finds any unbounded collection in it.
   */
  public static boolean sortsGroupsStampedAtWindowEnd(PipelineOptions options) {
    return groupsByKeyTwice(options)
        && !options.as(StreamingOptions.class).isStreaming()
        && !options.as(FlinkBatchOptions.class).getUseDataStreamForBatch();
  }

  /**
   * The one Flink runner option {@link #sortsGroupsStampedAtWindowEnd} reads, declared as Beam's
   * FlinkPipelineOptions declares it, so this module compiles without the Flink runner.
   */
  public interface FlinkBatchOptions extends PipelineOptions {
    @Description("Whether Flink runs a bounded pipeline on its DataStream API instead of the DataSet API.")
    @Default.Boolean(false)
    Boolean getUseDataStreamForBatch();

    void setUseDataStreamForBatch(Boolean useDataStreamForBatch);
  }

  /** Beam's Spark runners (classic, structured streaming, and their test runners). */
  public static boolean isSpark(PipelineOptions options) {
    return options.getRunner().getSimpleName().contains("Spark");
  }
}
