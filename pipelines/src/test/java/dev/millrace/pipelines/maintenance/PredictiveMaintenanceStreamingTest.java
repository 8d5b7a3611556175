package dev.millrace.pipelines.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.model.RawRecord;
import dev.millrace.model.reference.Device;
import dev.millrace.model.reference.DeviceRegistry;
import dev.millrace.model.reference.DeviceRegistryCoder;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.transforms.sensor.MaintenanceAlert;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole template unbounded (TestStream): readings arriving out of order while the watermark
 * advances give the same alerts as the rules say in event time, and a late reading within the
 * allowed lateness changes its windows (a LATE pane in device_health).
 */
@ExtendWith(BeamPipelineExtension.class)
class PredictiveMaintenanceStreamingTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  static TimestampedValue<RawRecord> reading(long seconds, double temperature) {
    Instant t = T0.plus(Duration.standardSeconds(seconds));
    String json = "{\"device_id\":\"d1\",\"event_time\":\"" + t + "\",\"temperature_c\":" + temperature
        + ",\"vibration_mm_s\":2,\"rpm\":1500}";
    return TimestampedValue.of(RawRecord.of(json, "test:" + seconds), t);
  }

  @Test
  void overheatingRunAndSilenceAreExactWhateverTheArrivalOrderAndALateReadingChangesItsWindows(TestPipeline p)
      throws Exception {
    // d1 reads every 30 s from 0 to 19:30 at 80 C (its max is 50): every window breaches. The first
    // window with readings starts at -9m, so the run reaches 3 windows at the one starting at -7m,
    // which ends at 00:03. Silent after 19:30: offline at 24:30.
    List<TimestampedValue<RawRecord>> early = new ArrayList<>();
    List<TimestampedValue<RawRecord>> later = new ArrayList<>();
    for (int s = 0; s < 20 * 60; s += 30) {
      (s < 600 ? early : later).add(reading(s, 80));
    }
    Collections.shuffle(early, new Random(3));
    Collections.shuffle(later, new Random(4));
    TestStream<RawRecord> stream = TestStream.create(RawRecord.RawRecordCoder.of())
        .advanceWatermarkTo(T0.minus(Duration.standardMinutes(1)))
        .addElements(early.get(0), early.subList(1, early.size()).toArray(new TimestampedValue[0]))
        .advanceWatermarkTo(T0.plus(Duration.standardMinutes(10)))
        .addElements(later.get(0), later.subList(1, later.size()).toArray(new TimestampedValue[0]))
        .advanceWatermarkTo(T0.plus(Duration.standardMinutes(22)))
        // Late by the watermark; within the 5m lateness only for windows whose end + 5m is after 22m (the
        // windows starting at 8, 9 and 10m), dropped and counted for the others that hold 10:15.
        .addElements(reading(615, 80))
        .advanceWatermarkToInfinity();

    DeviceRegistry registry = DeviceRegistry.of(
        List.of(new Device("d1", "pump", "plant-a", BigDecimal.valueOf(50), BigDecimal.TEN, null)), "test", T0);
    PCollectionView<Iterable<DeviceRegistry>> view =
        p.apply("Registry", Create.of(registry).withCoder(DeviceRegistryCoder.of())).apply(View.asIterable());
    Path out = dir.resolve("out");
    PredictiveMaintenanceOptions options = PipelineOptionsFactory.fromArgs(
        "--output=" + out, "--allowedLateness=5m", "--lateFiringDelay=0s").as(PredictiveMaintenanceOptions.class);
    PCollection<MaintenanceAlert> alerts = PredictiveMaintenance.expand(p.apply(stream), view, options);

    PAssert.that(alerts.apply(MapElements.into(TypeDescriptors.strings())
            .via(a -> a.getAlert() + "@" + a.getEventTime())))
        .containsInAnyOrder("overheat@2026-01-01T00:03:00.000Z", "offline@2026-01-01T00:24:30.000Z");
    p.run().waitUntilFinish();

    long lateRows = 0;
    for (GenericRecord r : LocalParquetFiles.readAll(out.resolve("device_health"))) {
      long start = PredictiveMaintenanceTest.millis(r.get("window_start"));
      if ("LATE".equals(r.get("pane_timing").toString())) {
        lateRows++;
        assertThat(start).as("late panes only for windows within the lateness")
            .isBetween(T0.plus(Duration.standardMinutes(8)).getMillis(), T0.plus(Duration.standardMinutes(10)).getMillis());
        // On time it held the 20 readings of [start, start + 10m); the late one makes 21.
        assertThat((long) r.get("readings")).isEqualTo(21);
      }
    }
    assertThat(lateRows).isEqualTo(3);
  }
}
