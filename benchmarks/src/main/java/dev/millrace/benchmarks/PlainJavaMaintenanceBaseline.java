package dev.millrace.benchmarks;

import dev.millrace.io.sensor.DeviceRegistries;
import dev.millrace.model.SensorReading;
import dev.millrace.model.reference.Device;
import dev.millrace.model.reference.DeviceRegistry;
import dev.millrace.transforms.parse.InvalidRecordException;
import dev.millrace.transforms.parse.SensorReadingParser;
import dev.millrace.transforms.sensor.DeviceHealth;
import dev.millrace.transforms.sensor.MaintenanceAlert;
import dev.millrace.transforms.sensor.Measures;
import dev.millrace.transforms.sensor.MeasuresFn;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    Set<String> seen = new HashSet<>();
    List<MaintenanceAlert> alerts = new ArrayList<>();
    long read = 0;
    long rejected = 0;
    long duplicates = 0;
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(Files.newInputStream(input), decoder))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        read++;
        SensorReading reading;
        try {
          reading = parser.parse(line);
        } catch (InvalidRecordException e) {
          rejected++;
          continue;
        }
        if (!seen.add(reading.readingId())) {
          duplicates++;
          continue;
        }
        long t = reading.eventTime().getMillis();
        TreeMap<Long, MeasuresFn.Accumulator> deviceWindows =
            windows.computeIfAbsent(reading.deviceId(), d -> new TreeMap<>());
        for (long start = t - Math.floorMod(t, PERIOD); start > t - SIZE; start -= PERIOD) {
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
      }
    }
    SchemaRegistry schemas = SchemaRegistry.createDefault();
    long healthRows = 0;
    Files.createDirectories(output.resolve("device_health"));
    try (PlainJavaBaseline.Writer<DeviceHealth> health = new PlainJavaBaseline.Writer<>(schemas, DeviceHealth.class,
        "device_health", output.resolve("device_health/device_health.parquet"))) {
      for (Map.Entry<String, TreeMap<Long, MeasuresFn.Accumulator>> entry : windows.entrySet()) {
        String id = entry.getKey();
        Device device = registry.get(id);
        long lastHot = Long.MIN_VALUE;
        int hotRun = 0;
        long lastTrend = Long.MIN_VALUE;
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
          if (m.meanAbove(TEMPERATURE, device.maxTemperatureC())) {
            hotRun = window.getKey() - lastHot == PERIOD ? hotRun + 1 : 1;
            lastHot = window.getKey();
            if (hotRun == OVERHEAT_WINDOWS) {
              alerts.add(MaintenanceAlert.of(id, MaintenanceAlert.OVERHEAT, row.getWindowEnd(), row.getSite(),
                  row.getModel(), String.format("avg temperature above the device's max in %d consecutive windows;"
                      + " window %s-%s avg %.3f C", OVERHEAT_WINDOWS, row.getWindowStart(), row.getWindowEnd(),
                      row.getAvgTemperatureC())));
            }
          }
          Double slope = m.slopePerMinute();
          if (m.count() >= TREND_MIN_READINGS && slope != null && slope > TREND_THRESHOLD) {
            if (window.getKey() - lastTrend != PERIOD) {
              alerts.add(MaintenanceAlert.of(id, MaintenanceAlert.DEGRADING, row.getWindowEnd(), row.getSite(),
                  row.getModel(), String.format("vibration slope %.4f mm/s per minute over %d readings in window %s-%s",
                      slope, row.getReadings(), row.getWindowStart(), row.getWindowEnd())));
            }
            lastTrend = window.getKey();
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
      for (int i = 0; i < sorted.size(); i++) {
        // More than the silence to the next reading, or no next reading: offline as of last + silence.
        if (i == sorted.size() - 1 || sorted.get(i + 1) - sorted.get(i) > SILENCE.getMillis()) {
          Instant last = new Instant(sorted.get(i));
          alerts.add(MaintenanceAlert.of(device.getKey(), MaintenanceAlert.OFFLINE, last.plus(SILENCE), registered,
              "no reading for more than 5m after " + last));
        }
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
        read, rejected, duplicates, healthRows, alerts.size(), (System.nanoTime() - started) / 1e9);
  }
}
