package dev.millrace.transforms.aggregate;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.transforms.runners.RunnerCapabilities;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * A bounded input's records grouped by a hash of their string key over a few shards, each group
 * stamped with its earliest record's timestamp: for a step that needs every record of a key at once
 * (a join decided when all is in), without a group and a bundle per key.
 *
 * <p>Why shards: the DirectRunner hands each key of a grouping on as a bundle of its own, and each step
 * after it pays per bundle (campaign-analytics' joins keyed by impression and user: 922 records/s at
 * 200k). {@code shards} keys elsewhere, at most {@link RunnerCapabilities#DIRECT_RUNNER_KEYS} there.
 * Why the earliest timestamp: a group's rows may be emitted at their own event times, and a group
 * stamped later (the end of the window, GroupByKey's default) would let the watermark of the windows
 * after it pass them, which would drop them as late.
 *
 * <pre>{@code
 * PCollection<KV<Integer, Iterable<KV<String, RawUnionValue>>>> shards =
 *     impressionsAndClicks.apply("GroupByImpressionShard", GroupInShards.of(64));
 * }</pre>
 */
public final class GroupInShards<V>
    extends PTransform<PCollection<KV<String, V>>, PCollection<KV<Integer, Iterable<KV<String, V>>>>> {
  private final int shards;
  private final boolean stampedAtWindowEnd;

  private GroupInShards(int shards, boolean stampedAtWindowEnd) {
    this.shards = shards;
    this.stampedAtWindowEnd = stampedAtWindowEnd;
  }

  /** Over {@code shards} keys (fewer on the DirectRunner), each group stamped with its earliest record's time. */
  public static <V> GroupInShards<V> of(int shards) {
    checkArgument(shards > 0, "shards must be > 0, but was: %s", shards);
    return new GroupInShards<>(shards, false);
  }

  /**
   * Whether each group is stamped at the end of its window (GroupByKey's default) instead of with its
   * earliest record's time: for a pipeline that runs as a batch job in which nothing judges lateness,
   * where the runner then groups in one sort instead of two ({@link
   * RunnerCapabilities#sortsGroupsStampedAtWindowEnd}: Beam's Flink runner in batch mode). Anywhere
   * else the rows a group's step emits at their own times could be dropped as late after it.
   */
  public GroupInShards<V> withGroupsStampedAtWindowEnd(boolean stampedAtWindowEnd) {
    return new GroupInShards<>(shards, stampedAtWindowEnd);
  }

  @Override
  public PCollection<KV<Integer, Iterable<KV<String, V>>>> expand(PCollection<KV<String, V>> records) {
    checkArgument(records.isBounded() == PCollection.IsBounded.BOUNDED,
        "GroupInShards groups a bounded input (a group waits for the end of it)");
    int keys = RunnerCapabilities.keysForParallelism(records.getPipeline().getOptions(), shards);
    return records
        .apply("KeyByShard", ParDo.of(new KeyByShardFn<V>(keys)))
        .setCoder(KvCoder.of(VarIntCoder.of(), records.getCoder()))
        .apply(stampedAtWindowEnd ? "EndOfWindowTimestamp" : "EarliestTimestamp",
            Window.<KV<Integer, KV<String, V>>>configure().withTimestampCombiner(
                stampedAtWindowEnd ? TimestampCombiner.END_OF_WINDOW : TimestampCombiner.EARLIEST))
        .apply("GroupByShard", GroupByKey.create());
  }

  static final class KeyByShardFn<V> extends DoFn<KV<String, V>, KV<Integer, KV<String, V>>> {
    private final int keys;

    KeyByShardFn(int keys) {
      this.keys = keys;
    }

    @ProcessElement
    public void process(@Element KV<String, V> record, OutputReceiver<KV<Integer, KV<String, V>>> out) {
      out.output(KV.of(Math.floorMod(record.getKey().hashCode(), keys), record));
    }
  }
}
