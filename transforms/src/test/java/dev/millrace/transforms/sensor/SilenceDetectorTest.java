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

/** Silence is judged in event time only: gaps > 5m, the end of input, whatever the arrival order and pace. */
@ExtendWith(BeamPipelineExtension.class)
class SilenceDetectorTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final KvCoder<String, Instant> CODER = KvCoder.of(StringUtf8Coder.of(), InstantCoder.of());

  static KV<String, Instant> reading(String device, long seconds) {
    return KV.of(device, T0.plus(Duration.standardSeconds(seconds)));
  }

  static TimestampedValue<KV<String, Instant>> at(KV<String, Instant> r) {
    return TimestampedValue.of(r, r.getValue());
  }

  static PCollection<String> silences(PCollection<KV<String, Instant>> readings) {
    return silences(readings, false);
  }

  static PCollection<String> silences(PCollection<KV<String, Instant>> readings, boolean ticks) {
    SilenceDetector detector = SilenceDetector.after(Duration.standardMinutes(5));
    return readings
        .apply(ticks ? detector.withWatermarkTicks() : detector)
        .apply(MapElements.into(TypeDescriptors.strings())
            .via(kv -> kv.getKey() + "@" + (kv.getValue().getMillis() - T0.getMillis()) / 1000));
  }

  // d1: 0, 60, 360 (gap 300 s: not silent), 661 (gap 301 s: silent from 360), then nothing (silent from 661).
  // d2: 0 and 1000 (silent from 0), arriving in reverse order.
  static final List<KV<String, Instant>> READINGS = List.of(
      reading("d1", 0), reading("d1", 60), reading("d1", 360), reading("d1", 661),
      reading("d2", 0), reading("d2", 1000));
  static final String[] EXPECTED = {"d1@360", "d1@661", "d2@0", "d2@1000"};

  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void streamingWaitsForTheWatermarkThenReportsEachSilenceOnce(boolean ticks, TestPipeline p) {
    TestStream<KV<String, Instant>> stream = TestStream.create(CODER)
        .advanceWatermarkTo(T0)
        // Out of order, with the watermark held back at T0: nothing can be judged yet.
        .addElements(at(reading("d1", 661)), at(reading("d2", 1000)), at(reading("d1", 360)))
        .addElements(at(reading("d1", 60)), at(reading("d1", 0)), at(reading("d2", 0)))
        .advanceProcessingTime(Duration.standardMinutes(30))
        // The watermark passes 360 + 300 s: the silence after 360 is certain only once 661 is swept.
        .advanceWatermarkTo(T0.plus(Duration.standardSeconds(700)))
        .advanceWatermarkToInfinity();
    PAssert.that(silences(p.apply(stream), ticks)).containsInAnyOrder(EXPECTED);
    p.run();
  }

  /**
   * The readings of {@link #aSilenceIsReportedWhenTheWatermarkPassesItEvenWithoutAnotherReading}, and a
   * second device reading every 100 s: ticks come while d1 is quiet, so both ways agree.
   */
  @ParameterizedTest(name = "watermark ticks: {0}")
  @ValueSource(booleans = {false, true})
  void withDataFlowingASilenceIsReportedWithoutAnotherReadingOfItsOwn(boolean ticks, TestPipeline p) {
    TestStream<KV<String, Instant>> stream = TestStream.create(CODER)
        .advanceWatermarkTo(T0)
        .addElements(at(reading("d1", 0)), at(reading("d9", 0)), at(reading("d9", 100)), at(reading("d9", 200)))
        .advanceWatermarkTo(T0.plus(Duration.standardSeconds(300)))
        .addElements(at(reading("d1", 300)), at(reading("d9", 300)), at(reading("d9", 400)), at(reading("d9", 500)))
        .addElements(at(reading("d9", 600)), at(reading("d9", 601)))
        .advanceWatermarkTo(T0.plus(Duration.standardSeconds(700)))
        .addElements(at(reading("d1", 500)))
        .advanceWatermarkToInfinity();
    PAssert.that(silences(p.apply(stream), ticks)).containsInAnyOrder("d1@300", "d1@500", "d9@601");
    p.run();
  }

  /** d1 at 0 and 300, then the watermark to 700, then d1 at 500 (late), then the end. */
  static TestStream<KV<String, Instant>> aLateReadingAfterAQuietStretch() {
    return TestStream.create(CODER)
        .advanceWatermarkTo(T0)
        .addElements(at(reading("d1", 0)))
        // 5m exactly after the reading: not yet silent; a reading at 300 s would still be on time.
        .advanceWatermarkTo(T0.plus(Duration.standardSeconds(300)))
        .addElements(at(reading("d1", 300)))
        .advanceWatermarkTo(T0.plus(Duration.standardSeconds(700)))
        .addElements(at(reading("d1", 500)))
        .advanceWatermarkToInfinity();
  }

  /**
   * The reading at 500 arrives after the silence from 300 was reported: late, it cannot retract that
   * verdict (nor repeat it), but it is the device's newest reading, and the end of input is silence from it.
   */
  @Test
  void aSilenceIsReportedWhenTheWatermarkPassesItEvenWithoutAnotherReading(TestPipeline p) {
    PAssert.that(silences(p.apply(aLateReadingAfterAQuietStretch()))).containsInAnyOrder("d1@300", "d1@500");
    p.run();
  }

  /**
   * On ticks, time with no data anywhere brings no tick: the late reading at 500 comes before any
   * tick past 600, so it is taken as on time and the gap 300 -> 500 is no silence; the timer way
   * (above) reported the silence from 300 when the watermark passed 600.
   */
  @Test
  void onTicksASilenceWithNoDataAnywhereAfterItWaitsForTheNextTick(TestPipeline p) {
    PAssert.that(silences(p.apply(aLateReadingAfterAQuietStretch()), true)).containsInAnyOrder("d1@500");
    p.run();
  }

  @Test
  void boundedInputIsSweptInOrderAndItsEndIsSilence(TestPipeline p) {
    PCollection<KV<String, Instant>> readings =
        p.apply(Create.timestamped(READINGS.stream().map(SilenceDetectorTest::at).toList()).withCoder(CODER));
    PAssert.that(silences(readings)).containsInAnyOrder(EXPECTED);
    p.run();
  }
}
