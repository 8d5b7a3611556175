package dev.millrace.benchmarks;

import dev.millrace.io.sensor.DeviceRegistries;
import dev.millrace.model.SensorReading;
import dev.millrace.model.reference.Device;
import dev.millrace.model.reference.DeviceRegistry;
import dev.millrace.transforms.parse.SensorReadingParser;
import dev.millrace.transforms.sensor.DeviceHealth;
import dev.millrace.transforms.sensor.MaintenanceAlert;
import dev.millrace.transforms.sensor.Measures;
import dev.millrace.transforms.sensor.MeasuresFn;
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
 * predictive-maintenance's work as a plain single-threaded loop, no Beam runner, with the template's
 * defaults: the same reading parser and window aggregate ({@link MeasuresFn}, exact), de-duplication by
 * reading id, sliding 10-minute windows every minute per device, the device registry joined, and the
 * four rules (a reading above twice the device's max vibration; the mean temperature above the device's
 * max in 3 consecutive windows, once per run; a vibration slope above 0.5 mm/s per minute over at
 * least 20 readings, at each run's first window; no reading for more than 5 minutes, the end of input
 * included), written as Parquet with the same schemas. Invalid records are counted, not written.
 *
 * <p>{@code java -cp ... dev.millrace.benchmarks.PlainJavaMaintenanceBaseline INPUT OUTPUT [REGISTRY]}
 * (the registry defaults to registry.jsonl beside the input, as the benchmark writes it)
 */
public final class PlainJavaMaintenanceBaseline {
  static final long MINUTE = 60_000;
  static final long SIZE = 10 * MINUTE;
  static final long PERIOD = MINUTE;
  static final int OVERHEAT_WINDOWS = 3;
  static final int TREND_MIN_READINGS = 20;
  static final double TREND_THRESHOLD = 0.5;
  static final Duration SILENCE = Duration.standardMinutes(5);
  static final int TEMPERATURE = 0;
  static final int VIBRATION = 1;
  static final int RPM = 2;
  private static final BigDecimal TWO = BigDecimal.valueOf(2);

  private PlainJavaMaintenanceBaseline() {}

  public static void main(String[] args) throws Exception {
    Path input = Paths.get(args[0]);
    Path output = Paths.get(args[1]);
    String registryFile = args.length > 2 ? args[2] : input.resolveSibling("registry.jsonl").toString();
    long started = System.nanoTime();
    DeviceRegistry registry = DeviceRegistries.load(registryFile);
    SensorReadingParser parser = new SensorReadingParser(1024 * 1024);
    MeasuresFn<SensorReading> measures =
        MeasuresFn.<SensorReading>of(SensorReading::temperatureC, SensorReading::vibrationMmS, SensorReading::rpm)
            .withTrend(VIBRATION, SensorReading::eventTime);
    // Per device: its windows by start, and its reading times.
    Map<String, TreeMap<Long, MeasuresFn.Accumulator>> windows = new HashMap<>();
    Map<String, List<Long>> times = new HashMap<>();
    List<MaintenanceAlert> alerts = new ArrayList<>();
    SensorBaselineRules.Counts counts = SensorBaselineRules.forEachUniqueRecord(input, parser, r -> true,
        SensorReading::readingId, reading -> {
          long t = reading.eventTime().getMillis();
          TreeMap<Long, MeasuresFn.Accumulator> deviceWindows =
              windows.computeIfAbsent(reading.deviceId(), d -> new TreeMap<>());
          for (long start : SensorBaselineRules.windowStarts(t, SIZE, PERIOD)) {
            MeasuresFn.Accumulator acc = deviceWindows.computeIfAbsent(start, s -> measures.createAccumulator());
            deviceWindows.put(start, measures.addInput(acc, reading));
          }
          times.computeIfAbsent(reading.deviceId(), d -> new ArrayList<>()).add(t);
          Device device = registry.get(reading.deviceId());
          if (device != null && reading.vibrationMmS().compareTo(device.maxVibrationMmS().multiply(TWO)) > 0) {
            alerts.add(MaintenanceAlert.of(reading.deviceId(), MaintenanceAlert.VIBRATION_SPIKE, reading.eventTime(),
                device, "vibration " + reading.vibrationMmS().toPlainString() + " mm/s > 2 x max "
                    + device.maxVibrationMmS().toPlainString() + " mm/s"));
          }
        });
    SchemaRegistry schemas = SchemaRegistry.createDefault();
    long healthRows = 0;
    Files.createDirectories(output.resolve("device_health"));
    try (PlainJavaBaseline.Writer<DeviceHealth> health = new PlainJavaBaseline.Writer<>(schemas, DeviceHealth.class,
        "device_health", output.resolve("device_health/device_health.parquet"))) {
      for (Map.Entry<String, TreeMap<Long, MeasuresFn.Accumulator>> entry : windows.entrySet()) {
        String id = entry.getKey();
        Device device = registry.get(id);
        SensorBaselineRules.WindowRuns overheating = new SensorBaselineRules.WindowRuns(PERIOD, OVERHEAT_WINDOWS);
        SensorBaselineRules.WindowRuns degrading = new SensorBaselineRules.WindowRuns(PERIOD, 1);
        for (Map.Entry<Long, MeasuresFn.Accumulator> window : entry.getValue().entrySet()) {
          Measures m = measures.extractOutput(window.getValue());
          Instant start = new Instant(window.getKey());
          DeviceHealth row = DeviceHealth.builder().setDeviceId(id).setWindowStart(start)
              .setWindowEnd(start.plus(SIZE)).setReadings(m.count())
              .setAvgTemperatureC(m.mean(TEMPERATURE)).setMaxTemperatureC(m.max(TEMPERATURE))
              .setAvgVibrationMmS(m.mean(VIBRATION)).setMaxVibrationMmS(m.max(VIBRATION)).setAvgRpm(m.mean(RPM))
              .setVibrationSlope(m.slopePerMinute())
              .setSite(device == null ? null : device.site()).setModel(device == null ? null : device.model())
              .setPaneIndex(0).setPaneTiming("ON_TIME").build();
          health.write(row);
          healthRows++;
          if (device == null) {
            continue;
          }
          if (m.meanAbove(TEMPERATURE, device.maxTemperatureC()) && overheating.reachedAt(window.getKey())) {
            alerts.add(MaintenanceAlert.of(id, MaintenanceAlert.OVERHEAT, row.getWindowEnd(), row.getSite(),
                row.getModel(), String.format("avg temperature above the device's max in %d consecutive windows;"
                    + " window %s-%s avg %.3f C", OVERHEAT_WINDOWS, row.getWindowStart(), row.getWindowEnd(),
                    row.getAvgTemperatureC())));
          }
          Double slope = m.slopePerMinute();
          if (m.count() >= TREND_MIN_READINGS && slope != null && slope > TREND_THRESHOLD
              && degrading.reachedAt(window.getKey())) {
            alerts.add(MaintenanceAlert.of(id, MaintenanceAlert.DEGRADING, row.getWindowEnd(), row.getSite(),
                row.getModel(), String.format("vibration slope %.4f mm/s per minute over %d readings in window %s-%s",
                    slope, row.getReadings(), row.getWindowStart(), row.getWindowEnd())));
          }
        }
      }
    }
    for (Map.Entry<String, List<Long>> device : times.entrySet()) {
      Device registered = registry.get(device.getKey());
      if (registered == null) {
        continue;
      }
      List<Long> sorted = device.getValue();
      sorted.sort(null);
      for (long last : SensorBaselineRules.silentAfter(sorted, SILENCE.getMillis())) {
        alerts.add(MaintenanceAlert.of(device.getKey(), MaintenanceAlert.OFFLINE, new Instant(last).plus(SILENCE),
            registered, "no reading for more than 5m after " + new Instant(last)));
      }
    }
    Files.createDirectories(output.resolve("alerts"));
    try (PlainJavaBaseline.Writer<MaintenanceAlert> writer = new PlainJavaBaseline.Writer<>(schemas,
        MaintenanceAlert.class, "alerts", output.resolve("alerts/alerts.parquet"))) {
      for (MaintenanceAlert alert : alerts) {
        writer.write(alert);
      }
    }
    System.out.printf("baseline: read %d, rejected %d, duplicates %d; device_health rows %d, alerts rows %d,"
            + " DONE in %.1f s%n",
        counts.read(), counts.rejected(), counts.duplicates(), healthRows, alerts.size(), (System.nanoTime() - started) / 1e9);
  }
}
