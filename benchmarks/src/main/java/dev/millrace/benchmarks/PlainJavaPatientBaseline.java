package dev.millrace.benchmarks;

import dev.millrace.io.sensor.PatientRegistries;
import dev.millrace.model.VitalsReading;
import dev.millrace.model.reference.Patient;
import dev.millrace.model.reference.PatientRegistry;
import dev.millrace.transforms.parse.VitalsParser;
import dev.millrace.transforms.sensor.CaregiverNotification;
import dev.millrace.transforms.sensor.GeofenceTransitions;
import dev.millrace.transforms.sensor.Haversine;
import dev.millrace.transforms.sensor.Measures;
import dev.millrace.transforms.sensor.MeasuresFn;
import dev.millrace.transforms.sensor.VitalsStats;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * patient-monitoring's work as a plain single-threaded loop, no Beam runner, with the template's
 * defaults: the same vitals parser and window aggregate ({@link MeasuresFn}, exact), readings of
 * patients not in the registry rejected, de-duplication by reading id, distance from home (haversine,
 * inside when at most the safe radius), sliding 5-minute windows every minute per patient, and the
 * notifications (leaving and returning to the safe zone; the mean heart rate above the patient's max in
 * 3 consecutive windows, once per run; every one of at least 3 readings in a window below SpO2 90, at
 * each run's first window; no reading for more than 2 minutes, the end of input included), each with
 * the patient's caregiver, written as Parquet with the same schemas. Invalid records are counted.
 *
 * <p>{@code java -cp ... dev.millrace.benchmarks.PlainJavaPatientBaseline INPUT OUTPUT [REGISTRY]}
 * (the registry defaults to registry.jsonl beside the input, as the benchmark writes it)
 */
public final class PlainJavaPatientBaseline {
  static final long MINUTE = 60_000;
  static final long SIZE = 5 * MINUTE;
  static final long PERIOD = MINUTE;
  static final int TACHYCARDIA_WINDOWS = 3;
  static final BigDecimal SPO2_THRESHOLD = BigDecimal.valueOf(90.0);
  static final int SPO2_MIN_READINGS = 3;
  static final Duration SILENCE = Duration.standardMinutes(2);
  static final int HEART_RATE = 0;
  static final int SPO2 = 1;
  static final int DISTANCE = 2;

  private PlainJavaPatientBaseline() {}

  /** A reading with its distance from home. */
  record Located(VitalsReading reading, double distanceM) implements Serializable {}

  public static void main(String[] args) throws Exception {
    Path input = Paths.get(args[0]);
    Path output = Paths.get(args[1]);
    String registryFile = args.length > 2 ? args[2] : input.resolveSibling("registry.jsonl").toString();
    long started = System.nanoTime();
    PatientRegistry registry = PatientRegistries.load(registryFile);
    VitalsParser parser = new VitalsParser(1024 * 1024);
    MeasuresFn<Located> measures = MeasuresFn.<Located>of(l -> BigDecimal.valueOf(l.reading().heartRate()),
        l -> l.reading().spo2(), l -> BigDecimal.valueOf(l.distanceM()));
    Map<String, TreeMap<Long, MeasuresFn.Accumulator>> windows = new HashMap<>();
    // Per patient: reading time -> inside the safe zone.
    Map<String, TreeMap<Long, Boolean>> zone = new HashMap<>();
    SensorBaselineRules.Counts counts = SensorBaselineRules.forEachUniqueRecord(input, parser,
        reading -> registry.get(reading.patientId()) != null, VitalsReading::readingId, reading -> {
          Patient patient = registry.get(reading.patientId());
          double distance = Haversine.meters(patient.homeLat(), patient.homeLon(), reading.lat(), reading.lon());
          Located located = new Located(reading, distance);
          long t = reading.eventTime().getMillis();
          TreeMap<Long, MeasuresFn.Accumulator> patientWindows =
              windows.computeIfAbsent(reading.patientId(), p -> new TreeMap<>());
          for (long start : SensorBaselineRules.windowStarts(t, SIZE, PERIOD)) {
            MeasuresFn.Accumulator acc = patientWindows.computeIfAbsent(start, s -> measures.createAccumulator());
            patientWindows.put(start, measures.addInput(acc, located));
          }
          zone.computeIfAbsent(reading.patientId(), p -> new TreeMap<>()).put(t, distance <= patient.safeRadiusM());
        });
    List<CaregiverNotification> notifications = new ArrayList<>();
    SchemaRegistry schemas = SchemaRegistry.createDefault();
    long statsRows = 0;
    Files.createDirectories(output.resolve("vitals_stats"));
    try (PlainJavaBaseline.Writer<VitalsStats> stats = new PlainJavaBaseline.Writer<>(schemas, VitalsStats.class,
        "vitals_stats", output.resolve("vitals_stats/vitals_stats.parquet"))) {
      for (Map.Entry<String, TreeMap<Long, MeasuresFn.Accumulator>> entry : windows.entrySet()) {
        String id = entry.getKey();
        Patient patient = registry.get(id);
        SensorBaselineRules.WindowRuns fast = new SensorBaselineRules.WindowRuns(PERIOD, TACHYCARDIA_WINDOWS);
        SensorBaselineRules.WindowRuns low = new SensorBaselineRules.WindowRuns(PERIOD, 1);
        for (Map.Entry<Long, MeasuresFn.Accumulator> window : entry.getValue().entrySet()) {
          Measures m = measures.extractOutput(window.getValue());
          Instant start = new Instant(window.getKey());
          VitalsStats row = VitalsStats.builder().setPatientId(id).setWindowStart(start).setWindowEnd(start.plus(SIZE))
              .setReadings(m.count()).setAvgHeartRate(m.mean(HEART_RATE)).setMaxHeartRate(m.max(HEART_RATE))
              .setMinSpo2(m.min(SPO2)).setAvgSpo2(m.mean(SPO2)).setMaxDistanceM(m.max(DISTANCE))
              .setPaneIndex(0).setPaneTiming("ON_TIME").build();
          stats.write(row);
          statsRows++;
          if (m.meanAbove(HEART_RATE, patient.maxHeartRate()) && fast.reachedAt(window.getKey())) {
            notifications.add(notification(patient, CaregiverNotification.TACHYCARDIA, row.getWindowEnd(),
                String.format("avg heart rate above the patient's max in %d consecutive windows; window %s-%s "
                    + "avg %.2f bpm", TACHYCARDIA_WINDOWS, row.getWindowStart(), row.getWindowEnd(),
                    row.getAvgHeartRate())));
          }
          if (m.count() >= SPO2_MIN_READINGS && m.maxes().get(SPO2).compareTo(SPO2_THRESHOLD) < 0
              && low.reachedAt(window.getKey())) {
            notifications.add(notification(patient, CaregiverNotification.LOW_SPO2, row.getWindowEnd(),
                String.format("every one of %d readings in window %s-%s below the threshold; min %.1f%%",
                    row.getReadings(), row.getWindowStart(), row.getWindowEnd(), row.getMinSpo2())));
          }
        }
      }
    }
    for (Map.Entry<String, TreeMap<Long, Boolean>> entry : zone.entrySet()) {
      Patient patient = registry.get(entry.getKey());
      boolean away = false;
      for (Map.Entry<Long, Boolean> reading : entry.getValue().entrySet()) {
        if (!reading.getValue() && !away) {
          away = true;
          notifications.add(notification(patient, GeofenceTransitions.LEFT, new Instant(reading.getKey()),
              "a reading outside the safe zone"));
        } else if (reading.getValue() && away) {
          away = false;
          notifications.add(notification(patient, GeofenceTransitions.RETURNED, new Instant(reading.getKey()),
              "a reading back within the safe zone"));
        }
      }
      for (long last : SensorBaselineRules.silentAfter(new ArrayList<>(entry.getValue().keySet()), SILENCE.getMillis())) {
        notifications.add(notification(patient, CaregiverNotification.DEVICE_SILENT, new Instant(last).plus(SILENCE),
            "no reading for more than 2m after " + new Instant(last)));
      }
    }
    Files.createDirectories(output.resolve("notifications"));
    try (PlainJavaBaseline.Writer<CaregiverNotification> writer = new PlainJavaBaseline.Writer<>(schemas,
        CaregiverNotification.class, "notifications", output.resolve("notifications/notifications.parquet"))) {
      for (CaregiverNotification n : notifications) {
        writer.write(n);
      }
    }
    System.out.printf("baseline: read %d, rejected %d, duplicates %d; vitals_stats rows %d, notifications rows %d,"
            + " DONE in %.1f s%n",
        counts.read(), counts.rejected(), counts.duplicates(), statsRows, notifications.size(), (System.nanoTime() - started) / 1e9);
  }

  static CaregiverNotification notification(Patient patient, String kind, Instant at, String detail) {
    return CaregiverNotification.of(patient.patientId(), kind, at, patient.caregiver(), detail);
  }
}
