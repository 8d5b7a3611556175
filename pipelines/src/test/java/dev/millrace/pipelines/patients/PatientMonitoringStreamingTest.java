package dev.millrace.pipelines.patients;

import dev.millrace.model.RawRecord;
import dev.millrace.model.reference.Patient;
import dev.millrace.model.reference.PatientRegistry;
import dev.millrace.model.reference.PatientRegistryCoder;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.transforms.sensor.CaregiverNotification;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
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
 * The whole template unbounded (TestStream), readings arriving out of order while the watermark
 * advances: notifications are exact in event time, the safe radius boundary included (a reading
 * exactly at the radius is inside).
 */
@ExtendWith(BeamPipelineExtension.class)
class PatientMonitoringStreamingTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  /** A reading of p1 at {@code seconds}, {@code north} degrees of latitude north of home (0, 0). */
  static TimestampedValue<RawRecord> reading(long seconds, double north, int heartRate, double spo2) {
    Instant t = T0.plus(Duration.standardSeconds(seconds));
    String json = "{\"patient_id\":\"p1\",\"event_time\":\"" + t + "\",\"heart_rate\":" + heartRate
        + ",\"spo2\":" + spo2 + ",\"lat\":" + north + ",\"lon\":0}";
    return TimestampedValue.of(RawRecord.of(json, "test:" + seconds), t);
  }

  @Test
  void notificationsAreExactWhateverTheArrivalOrder(TestPipeline p) {
    // p1's safe radius is exactly the distance of 0.001 degrees north of home (so that reading is inside).
    // Every 20 s for 20 minutes: at home, except 0.0011 degrees north (outside) from 300 s to 400 s;
    // heart rate 150 (max 120) from 600 s on; SpO2 85 before 280 s. Silent after 1180 s.
    double radius = dev.millrace.transforms.sensor.Haversine.meters(0, 0, 0.001, 0);
    List<TimestampedValue<RawRecord>> first = new ArrayList<>();
    List<TimestampedValue<RawRecord>> second = new ArrayList<>();
    for (int s = 0; s < 1200; s += 20) {
      double north = s >= 300 && s <= 400 ? 0.0011 : (s == 200 ? 0.001 : 0);
      int heartRate = s >= 600 ? 150 : 70;
      double spo2 = s < 280 ? 85 : 97;
      (s < 600 ? first : second).add(reading(s, north, heartRate, spo2));
    }
    Collections.shuffle(first, new Random(1));
    Collections.shuffle(second, new Random(2));
    TestStream<RawRecord> stream = TestStream.create(RawRecord.RawRecordCoder.of())
        .advanceWatermarkTo(T0.minus(Duration.standardMinutes(1)))
        .addElements(first.get(0), first.subList(1, first.size()).toArray(new TimestampedValue[0]))
        .advanceWatermarkTo(T0.plus(Duration.standardMinutes(10)))
        .addElements(second.get(0), second.subList(1, second.size()).toArray(new TimestampedValue[0]))
        .advanceWatermarkToInfinity();

    PatientRegistry registry = PatientRegistry.of(
        List.of(new Patient("p1", 0, 0, radius, BigDecimal.valueOf(120), "carer@example.org")), "test", T0);
    PCollectionView<Iterable<PatientRegistry>> view =
        p.apply("Registry", Create.of(registry).withCoder(PatientRegistryCoder.of())).apply(View.asIterable());
    PatientMonitoringOptions options = PipelineOptionsFactory.fromArgs(
        "--output=" + dir.resolve("out"), "--lateFiringDelay=0s").as(PatientMonitoringOptions.class);
    PCollection<CaregiverNotification> notifications = PatientMonitoring.expand(p.apply(stream), view, options);

    PAssert.that(notifications.apply(MapElements.into(TypeDescriptors.strings())
            .via(n -> n.getKind() + "@" + n.getEventTime() + "/" + n.getCaregiver())))
        .containsInAnyOrder(
            // 200 s at exactly the radius: inside. Out at 300 s, back at 420 s.
            "left_safe_zone@2026-01-01T00:05:00.000Z/carer@example.org",
            "returned_home@2026-01-01T00:07:00.000Z/carer@example.org",
            // The windows starting at -4m .. -1m hold only SpO2 85 readings (at least 3: [-4m, 1m) has 0, 20
            // and 40 s); [0m, 5m) holds the 280 s reading (97). One run, notified at its first window's end.
            "low_spo2@2026-01-01T00:01:00.000Z/carer@example.org",
            // Every reading from 600 s is 150 (max 120): a window of 15 readings averages above 120 from 10
            // hot ones, first the window [9m, 14m) (12 hot: avg 134); [8m, 13m) has 9 (avg 118). The run
            // reaches 3 windows at [11m, 16m).
            "tachycardia@2026-01-01T00:16:00.000Z/carer@example.org",
            "device_silent@2026-01-01T00:21:40.000Z/carer@example.org");
    p.run();
  }
}
