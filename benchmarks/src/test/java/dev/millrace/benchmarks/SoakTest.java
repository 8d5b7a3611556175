package dev.millrace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class SoakTest {
  static final long MB = 1 << 20;

  /** 12 samples 30 s apart; the source's count refreshed every 60 s, as Flink's is, in steps. */
  static List<Soak.Sample> samples(double rate, IntToLongFunction heap, IntToLongFunction state) {
    List<Soak.Sample> samples = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      double seconds = 30 * (i + 1);
      long counted = (long) (rate * 60 * Math.floor(seconds / 60));
      samples.add(new Soak.Sample(seconds, heap.applyAsLong(i), 1024 * MB, state.applyAsLong(i), counted));
    }
    return samples;
  }

  @Test
  void aRunThatKeepsUpWithSawToothHeapAndStateLevelledOffPasses() {
    ObjectNode verdict = Soak.verdict(samples(5000, i -> (i % 2 == 0 ? 150 : 300) * MB,
        i -> Math.min(i, 4) * 10 * MB), 5000);
    assertThat(verdict.path("passed").asBoolean()).as(verdict.toString()).isTrue();
    assertThat(verdict.path("records_per_s").asDouble()).isBetween(4750.0, 5250.0);
  }

  @Test
  void stateOrHeapThatKeepsGrowingOrARunThatFallsBehindFails() {
    ObjectNode growingState = Soak.verdict(samples(5000, i -> 150 * MB, i -> i * 10 * MB), 5000);
    assertThat(growingState.path("state_flat").asBoolean()).isFalse();
    assertThat(growingState.path("passed").asBoolean()).isFalse();

    ObjectNode growingHeap = Soak.verdict(samples(5000, i -> (100 + 20L * i) * MB, i -> 10 * MB), 5000);
    assertThat(growingHeap.path("heap_flat").asBoolean()).isFalse();

    ObjectNode behind = Soak.verdict(samples(4000, i -> 150 * MB, i -> 10 * MB), 5000);
    assertThat(behind.path("kept_up").asBoolean()).isFalse();
    assertThat(behind.path("summary").asText()).contains("FELL BEHIND");

    assertThat(Soak.verdict(samples(5000, i -> 150 * MB, i -> 10 * MB).subList(0, 5), 5000)
        .path("passed").asBoolean()).isFalse();
  }

  @Test
  void whereTheLiveHeapWasMeasuredItDecidesNotTheLowsOfHeapInUse() {
    // In use: lows rising 100 -> 320 MB (old garbage); live after a full GC: flat at 90 MB.
    List<Soak.Sample> flatLive = new ArrayList<>();
    List<Soak.Sample> growingLive = new ArrayList<>();
    for (Soak.Sample x : samples(5000, i -> (100 + 20L * i) * MB, i -> 10 * MB)) {
      flatLive.add(new Soak.Sample(x.seconds(), x.heapBytes(), x.heapMaxBytes(), x.stateBytes(), x.records(), 90 * MB));
      growingLive.add(new Soak.Sample(x.seconds(), x.heapBytes(), x.heapMaxBytes(), x.stateBytes(), x.records(),
          (long) (x.seconds() * MB)));
    }
    ObjectNode flat = Soak.verdict(flatLive, 5000);
    assertThat(flat.path("heap_flat").asBoolean()).as(flat.toString()).isTrue();
    assertThat(flat.path("passed").asBoolean()).isTrue();
    assertThat(flat.path("summary").asText()).contains("live after a full GC");
    assertThat(Soak.verdict(growingLive, 5000).path("heap_flat").asBoolean()).isFalse();
  }
}
