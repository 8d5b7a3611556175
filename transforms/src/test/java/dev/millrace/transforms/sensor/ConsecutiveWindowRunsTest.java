package dev.millrace.transforms.sensor;

import dev.millrace.testing.BeamPipelineExtension;
import java.util.List;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs of consecutive windows (starts one period apart): an alert when a run reaches its length, once
 * per run. Streaming cases run on both ways: event-time timers and watermark ticks (Spark streaming).
 */
@ExtendWith(BeamPipelineExtension.class)
class ConsecutiveWindowRunsTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration SIZE = Duration.standardMinutes(10);
  static final KvCoder<String, Instant> CODER = KvCoder.of(StringUtf8Coder.of(), InstantCoder.of());

  /** A breaching window of {@code device}, by its start minute; the element is stamped at its end as a pane is. */
  static TimestampedValue<KV<String, Instant>> window(String device, int startMinute) {
    Instant start = T0.plus(Duration.standardMinutes(startMinute));
    return TimestampedValue.of(KV.of(device, start), start.plus(SIZE).minus(Duration.millis(1)));
  }

  static PCollection<String> alerts(PCollection<KV<String, Instant>> windows, int length) {
    return alerts(windows, length, false);
  }

  static PCollection<String> alerts(PCollection<KV<String, Instant>> windows, int length, boolean ticks) {
    ConsecutiveWindowRuns<Instant> runs =
        ConsecutiveWindowRuns.of((Instant start) -> start, Duration.standardMinutes(1), length);
    return windows
        .apply(ticks ? runs.withWatermarkTicks() : runs)
        .apply(MapElements.into(TypeDescriptors.strings())
            .via(kv -> kv.getKey() + "@" + (kv.getValue().getMillis() - T0.getMillis()) / 60_000));
  }

  // d1 breaches in 0,1,2,3 (one run: alert at 2), 5,6 (too short), 8,9,10 (alert at 10); d2 in 0,2,4 (no run).
  static final List<TimestampedValue<KV<String, Instant>>> WINDOWS = List.of(
      window("d1", 0), window("d1", 1), window("d1", 2), window("d1", 3), window("d1", 5), window("d1", 6),
      window("d1", 8), window("d1", 9), window("d1", 10), window("d2", 0), window("d2", 2), window("d2", 4));

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void streamingAlertsAtTheThirdWindowOfEachRunWhateverTheArrivalOrder(boolean ticks, TestPipeline p) {
    TestStream<KV<String, Instant>> stream = TestStream.create(CODER)
        .advanceWatermarkTo(T0)
        .addElements(window("d1", 2), window("d1", 0), window("d2", 4), window("d1", 1))
        .addElements(window("d1", 10), window("d1", 3), window("d2", 0), window("d1", 9))
        .addElements(window("d1", 6), window("d1", 8), window("d2", 2), window("d1", 5))
        .advanceWatermarkTo(T0.plus(Duration.standardMinutes(15)))
        // A later pane of a window already swept does not start or extend a run.
        .addElements(window("d2", 1))
        .advanceWatermarkToInfinity();
    PAssert.that(alerts(p.apply(stream), 3, ticks)).containsInAnyOrder("d1@2", "d1@10");
    p.run();
  }

  @Test
  void lengthOneAlertsAtTheFirstWindowOfEachRun(TestPipeline p) {
    PCollection<KV<String, Instant>> windows = p.apply(Create.timestamped(WINDOWS).withCoder(CODER));
    PAssert.that(alerts(windows, 1)).containsInAnyOrder("d1@0", "d1@5", "d1@8", "d2@0", "d2@2", "d2@4");
    p.run();
  }

  @Test
  void boundedInputGivesTheSameAsStreaming(TestPipeline p) {
    PCollection<KV<String, Instant>> windows = p.apply(Create.timestamped(WINDOWS).withCoder(CODER));
    PAssert.that(alerts(windows, 3)).containsInAnyOrder("d1@2", "d1@10");
    p.run();
  }
}
