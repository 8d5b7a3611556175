package dev.millrace.transforms.aggregate;

import dev.millrace.testing.BeamPipelineExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeamPipelineExtension.class)
class GroupInShardsTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  /** Per key: its values, the group it was in, and whether that group's timestamp is its earliest record's. */
  static final class DescribeFn extends DoFn<KV<Integer, Iterable<KV<String, Integer>>>, String> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, Integer>>> group, @Timestamp Instant at,
        OutputReceiver<String> out) {
      TreeSet<String> keys = new TreeSet<>();
      long earliestValue = Long.MAX_VALUE;
      for (KV<String, Integer> record : group.getValue()) {
        keys.add(record.getKey());
        earliestValue = Math.min(earliestValue, record.getValue());
      }
      for (KV<String, Integer> record : group.getValue()) {
        // Values are the records' seconds after T0, so the group's time must be the smallest of them.
        out.output(record.getKey() + "=" + record.getValue() + " with " + keys + " at earliest: "
            + at.equals(T0.plus(Duration.standardSeconds(earliestValue))));
      }
    }
  }

  @Test
  void eachKeysRecordsAreInOneGroupStampedWithItsEarliestRecord(TestPipeline p) {
    // On the DirectRunner at most 4 shards: 9 keys share groups, and no key is split over two.
    List<TimestampedValue<KV<String, Integer>>> records = new ArrayList<>();
    for (int key = 0; key < 9; key++) {
      for (int second : new int[] {30 - key, 10 + key, 50}) {
        records.add(TimestampedValue.of(KV.of("k" + key, second), T0.plus(Duration.standardSeconds(second))));
      }
    }
    PCollection<String> described = p
        .apply(Create.timestamped(records).withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())))
        .apply(GroupInShards.of(64))
        .apply(ParDo.of(new DescribeFn()));
    PAssert.that(described).satisfies(lines -> {
      Map<String, String> groupOfKey = new HashMap<>();
      Set<String> groups = new HashSet<>();
      int count = 0;
      for (String line : lines) {
        count++;
        String key = line.substring(0, line.indexOf('='));
        String group = line.substring(line.indexOf(" with ") + 6, line.indexOf(" at "));
        groups.add(group);
        if (groupOfKey.putIfAbsent(key, group) != null && !groupOfKey.get(key).equals(group)) {
          throw new AssertionError(key + " is in two groups: " + groupOfKey.get(key) + " and " + group);
        }
        if (!line.endsWith("at earliest: true")) {
          throw new AssertionError("not stamped with its group's earliest record: " + line);
        }
      }
      if (count != 27 || groupOfKey.size() != 9 || groups.size() > 4) {
        throw new AssertionError(count + " records, " + groupOfKey.size() + " keys, " + groups.size() + " groups");
      }
      return null;
    });
    p.run();
  }

  /** Per record: whether its group's timestamp is the end of the group's window. */
  static final class AtWindowEndFn extends DoFn<KV<Integer, Iterable<KV<String, Integer>>>, String> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, Integer>>> group, @Timestamp Instant at,
        BoundedWindow window, OutputReceiver<String> out) {
      for (KV<String, Integer> record : group.getValue()) {
        out.output(record.getKey() + "=" + record.getValue() + " at window end: " + at.equals(window.maxTimestamp()));
      }
    }
  }

  @Test
  void stampedAtWindowEndTheSameGroupsCarryTheirWindowsEnd(TestPipeline p) {
    List<TimestampedValue<KV<String, Integer>>> records = new ArrayList<>();
    for (int key = 0; key < 9; key++) {
      for (int second : new int[] {30 - key, 10 + key, 50, 70 + key}) {
        records.add(TimestampedValue.of(KV.of("k" + key, second), T0.plus(Duration.standardSeconds(second))));
      }
    }
    PCollection<String> described = p
        .apply(Create.timestamped(records).withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())))
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
        .apply(GroupInShards.<Integer>of(64).withGroupsStampedAtWindowEnd(true))
        .apply(ParDo.of(new AtWindowEndFn()));
    List<String> expected = new ArrayList<>();
    for (TimestampedValue<KV<String, Integer>> record : records) {
      expected.add(record.getValue().getKey() + "=" + record.getValue().getValue() + " at window end: true");
    }
    PAssert.that(described).containsInAnyOrder(expected);
    p.run();
  }
}
