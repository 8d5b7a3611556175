package dev.millrace.transforms.sensor;

import dev.millrace.testing.BeamPipelineExtension;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
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
 * Leaving and returning to the safe zone, in event time, whatever the arrival order; streaming on both
 * ways (event-time timers, watermark ticks).
 */
@ExtendWith(BeamPipelineExtension.class)
class GeofenceTransitionsTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final KvCoder<String, KV<Long, Boolean>> CODER =
      KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), BooleanCoder.of()));

  static TimestampedValue<KV<String, KV<Long, Boolean>>> at(String patient, int second, boolean inside) {
    Instant t = T0.plus(Duration.standardSeconds(second));
    return TimestampedValue.of(KV.of(patient, KV.of(t.getMillis(), inside)), t);
  }

  static PCollection<String> transitions(PCollection<KV<String, KV<Long, Boolean>>> readings) {
    return transitions(readings, false);
  }

  static PCollection<String> transitions(PCollection<KV<String, KV<Long, Boolean>>> readings, boolean ticks) {
    return readings
        .apply(ticks ? GeofenceTransitions.create().withWatermarkTicks() : GeofenceTransitions.create())
        .apply(MapElements.into(TypeDescriptors.strings())
            .via(kv -> kv.getKey() + ":" + kv.getValue().getValue() + "@"
                + (kv.getValue().getKey() - T0.getMillis()) / 1000));
  }

  // p1: in 0, in 10, out 20 (left), out 30 (no new one), in 40 (returned), out 50 (left again).
  // p2: its first reading is outside (left at 0), then in 10 (returned).
  static final List<TimestampedValue<KV<String, KV<Long, Boolean>>>> READINGS = List.of(
      at("p1", 0, true), at("p1", 10, true), at("p1", 20, false), at("p1", 30, false), at("p1", 40, true),
      at("p1", 50, false), at("p2", 0, false), at("p2", 10, true));
  static final String[] EXPECTED = {"p1:left_safe_zone@20", "p1:returned_home@40", "p1:left_safe_zone@50",
      "p2:left_safe_zone@0", "p2:returned_home@10"};

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void streamingCrossingAndReturnOutOfOrder(boolean ticks, TestPipeline p) {
    List<TimestampedValue<KV<String, KV<Long, Boolean>>>> reversed = new ArrayList<>(READINGS);
    java.util.Collections.reverse(reversed);
    TestStream<KV<String, KV<Long, Boolean>>> stream = TestStream.create(CODER)
        .advanceWatermarkTo(T0)
        .addElements(reversed.get(0), reversed.subList(1, 5).toArray(new TimestampedValue[0]))
        .advanceWatermarkTo(T0.plus(Duration.standardSeconds(5)))
        .addElements(reversed.get(5), reversed.subList(6, reversed.size()).toArray(new TimestampedValue[0]))
        .advanceWatermarkTo(T0.plus(Duration.standardSeconds(100)))
        // Behind the watermark and older than what was swept: ignored (counted), the verdicts stand.
        .addElements(at("p1", 45, true))
        .advanceWatermarkToInfinity();
    PAssert.that(transitions(p.apply(stream), ticks)).containsInAnyOrder(EXPECTED);
    p.run();
  }

  @Test
  void boundedGivesTheSame(TestPipeline p) {
    PAssert.that(transitions(p.apply(Create.timestamped(READINGS).withCoder(CODER)))).containsInAnyOrder(EXPECTED);
    p.run();
  }
}
