package dev.millrace.io.synthetic;

import static dev.millrace.io.synthetic.SyntheticRecordsTesting.JSON;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.MINUTE;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.assertReadEmits;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.assertTheSeedDecides;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.assertThirdsOfASecond;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.eventTimeAndId;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.fieldNames;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.firstWindowStart;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.trouble;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.model.reference.Device;
import dev.millrace.model.reference.DeviceRegistry;
import dev.millrace.testing.BeamPipelineExtension;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeamPipelineExtension.class)
class SensorGeneratorTest {
  static final long WINDOW = 10 * MINUTE;
  /** The small run: 20 devices reading once a second, 1,000 s of event time. */
  static final SyntheticSensorConfig SMALL = SyntheticSensorConfig.defaults()
      .withSeed(7).withDevices(20).withEventsPerSecond(20).withDuplicateFraction(0.02).withMalformedFraction(0.02);
  static final int SMALL_POSITIONS = 20_000;

  static List<String> records(SyntheticSensorConfig config, long positions) {
    return SyntheticRecordsTesting.records(new SensorGenerator(config), positions);
  }

  @Test
  void theSameSeedGivesTheSameRecordsAndAnotherSeedDoesNot() {
    assertTheSeedDecides(SMALL, SensorGenerator::new);
  }

  @Test
  void positionsMapToDevicesAndEventTimes() throws Exception {
    SensorGenerator generator = new SensorGenerator(SyntheticSensorConfig.defaults());
    assertThat(generator.nominalTime(0)).hasToString("2026-01-01T00:00:00.000Z");
    assertThat(generator.nominalTime(12_345)).hasToString("2026-01-01T00:02:03.450Z");
    JsonNode reading = JSON.readTree(generator.recordsOf(12_345).get(0));
    assertThat(reading.get("device_id").asText()).isEqualTo("dev-00145");
    assertThat(reading.get("event_time").asText()).isEqualTo("2026-01-01T00:02:03.450Z");
    assertThat(fieldNames(reading)).containsExactly("device_id", "event_time", "temperature_c", "vibration_mm_s", "rpm");
    assertThirdsOfASecond(new SensorGenerator(SyntheticSensorConfig.defaults().withEventsPerSecond(3)));
  }

  @Test
  void normalReadingsStayInsideTheirRangesWithFewDecimals() throws Exception {
    SensorGenerator generator = new SensorGenerator(SyntheticSensorConfig.defaults());
    for (long n = 0; n < 20_000; n++) {
      int index = generator.deviceIndex(n);
      if (SensorGenerator.OVERHEAT.playedBy(index) || SensorGenerator.DEGRADING.playedBy(index) || generator.isSpike(n)) {
        continue;
      }
      for (String record : generator.recordsOf(n)) {
        JsonNode r = JSON.readTree(record);
        Device device = generator.device(index);
        assertThat(r.get("temperature_c").decimalValue())
            .isBetween(new BigDecimal("40"), new BigDecimal("70"))
            .isLessThan(device.maxTemperatureC().subtract(BigDecimal.valueOf(25)));
        assertThat(r.get("vibration_mm_s").decimalValue()).isBetween(BigDecimal.ONE, new BigDecimal("4"));
        assertThat(r.get("rpm").decimalValue()).isBetween(new BigDecimal("1000"), new BigDecimal("3000"));
        for (String field : List.of("temperature_c", "vibration_mm_s", "rpm")) {
          assertThat(r.get(field).decimalValue().scale()).as(record).isLessThanOrEqualTo(2);
        }
      }
    }
  }

  @Test
  void producesTheAskedFractionsOfTroubleAndEveryMalformedKind() throws Exception {
    SyntheticSensorConfig config = SMALL.withDuplicateFraction(0.05).withMalformedFraction(0.05);
    SyntheticRecordsTesting.Trouble trouble =
        trouble(records(config, SMALL_POSITIONS), SensorGeneratorTest::kindOf, "device_id");
    assertThat(trouble.malformedKinds().keySet()).containsExactlyInAnyOrder("empty_record", "malformed_json", "not_an_object",
        "missing_temperature_c", "temperature_c_text", "vibration_negative", "vibration_too_high", "rpm_too_high",
        "bad_event_time", "empty_device_id");
    assertThat(trouble.malformed()).isBetween(800, 1150); // 5% of the ~19.6k non-silent positions
    assertThat(trouble.duplicates()).isBetween(750, 1100); // 5% of the ~18.6k readings
  }

  /** What a record is: "valid", or which malformed kind, judged by the reading record contract. */
  static String kindOf(String record) {
    SyntheticRecordsTesting.Parsed parsed = SyntheticRecordsTesting.Parsed.of(record);
    if (parsed.object() == null) {
      return parsed.kind();
    }
    JsonNode r = parsed.object();
    if (!r.has("temperature_c")) {
      return "missing_temperature_c";
    }
    if (!r.get("temperature_c").isNumber()) {
      return "temperature_c_text";
    }
    BigDecimal vibration = r.get("vibration_mm_s").decimalValue();
    if (vibration.signum() < 0) {
      return "vibration_negative";
    }
    if (vibration.compareTo(BigDecimal.valueOf(1000)) > 0) {
      return "vibration_too_high";
    }
    if (r.get("rpm").decimalValue().compareTo(BigDecimal.valueOf(100_000)) > 0) {
      return "rpm_too_high";
    }
    return eventTimeAndId(r, "device_id");
  }

  @Test
  void theRegistryLeavesOutEveryFortyFirstDeviceAndMatchesItsJsonLines() throws Exception {
    SensorGenerator generator = new SensorGenerator(SyntheticSensorConfig.defaults());
    DeviceRegistry registry = generator.registry();
    assertThat(registry.size()).isEqualTo(195); // 3, 44, 85, 126, 167 left out
    for (int i = 0; i < 200; i++) {
      Device device = registry.get(SensorGenerator.deviceId(i));
      if (i % 41 == 3) {
        assertThat(device).isNull();
      } else {
        assertThat(device).isEqualTo(generator.device(i));
        assertThat(device.maxTemperatureC()).isBetween(new BigDecimal("80"), new BigDecimal("95"));
        assertThat(device.maxVibrationMmS()).isBetween(new BigDecimal("8"), new BigDecimal("12"));
        assertThat(device.site()).matches("plant-[a-d]");
        assertThat(device.installedDate()).startsWith("2024-");
      }
    }
    List<String> lines = generator.registryJsonLines();
    assertThat(lines).hasSize(195);
    List<String> ids = new ArrayList<>();
    for (String line : lines) {
      JsonNode row = JSON.readTree(line);
      assertThat(fieldNames(row)).containsExactly(
          "device_id", "model", "site", "max_temperature_c", "max_vibration_mm_s", "installed_date");
      Device device = registry.get(row.get("device_id").asText());
      assertThat(new Device(row.get("device_id").asText(), row.get("model").asText(), row.get("site").asText(),
          row.get("max_temperature_c").decimalValue(), row.get("max_vibration_mm_s").decimalValue(),
          row.get("installed_date").asText())).isEqualTo(device);
      ids.add(device.deviceId());
    }
    assertThat(ids).isSorted();
  }

  @Test
  void theConfigRejectsNonsense() {
    assertThatThrownBy(() -> SyntheticSensorConfig.defaults().withDevices(0))
        .hasMessage("devices must be >= 1, but was: 0");
    assertThatThrownBy(() -> SyntheticSensorConfig.defaults().withEventsPerSecond(0))
        .hasMessage("rate must be > 0, but was: 0.0");
    assertThatThrownBy(() -> SyntheticSensorConfig.defaults().withMalformedFraction(1.5))
        .hasMessage("malformedFraction must be between 0 and 1, but was: 1.5");
  }

  @Test
  void aSmallRunShowsEachAlertPatternOnItsDevicesOnly() throws Exception {
    assertPatterns(SMALL, SMALL_POSITIONS);
  }

  @Test
  void theDefaultRunShowsEachAlertPatternOnItsDevicesOnly() throws Exception {
    assertPatterns(SyntheticSensorConfig.defaults(), 100_000);
  }

  /**
   * Computes the alert patterns of issue #16 from the records (template defaults: sliding windows of
   * 10 min every 1 min) and checks that they are exactly the injected ones.
   */
  static void assertPatterns(SyntheticSensorConfig config, long positions) throws Exception {
    SensorGenerator generator = new SensorGenerator(config);
    DeviceRegistry registry = generator.registry();
    Map<String, List<double[]>> byDevice = new TreeMap<>(); // {millis, temperature, vibration}
    Set<String> seen = new HashSet<>();
    Set<Long> spikes = new TreeSet<>();
    for (long n = 0; n < positions; n++) {
      for (String record : generator.recordsOf(n)) {
        if (!kindOf(record).equals("valid")) {
          continue;
        }
        JsonNode r = JSON.readTree(record);
        String id = r.get("device_id").asText();
        long millis = java.time.Instant.parse(r.get("event_time").asText()).toEpochMilli();
        if (!seen.add(id + "@" + millis)) {
          continue;
        }
        BigDecimal vibration = r.get("vibration_mm_s").decimalValue();
        Device device = registry.get(id);
        if (device != null && vibration.compareTo(device.maxVibrationMmS().multiply(BigDecimal.valueOf(2))) > 0) {
          spikes.add(n);
        }
        byDevice.computeIfAbsent(id, k -> new ArrayList<>())
            .add(new double[] {millis, r.get("temperature_c").doubleValue(), vibration.doubleValue()});
      }
    }
    Set<String> overheat = new TreeSet<>();
    Set<String> degrading = new TreeSet<>();
    Set<String> offline = new TreeSet<>();
    for (Map.Entry<String, List<double[]>> e : byDevice.entrySet()) {
      Device device = registry.get(e.getKey());
      if (device == null) {
        continue;
      }
      List<double[]> readings = e.getValue();
      readings.sort((a, b) -> Double.compare(a[0], b[0]));
      for (int k = 1; k < readings.size(); k++) {
        if (readings.get(k)[0] - readings.get(k - 1)[0] > 5 * MINUTE) {
          offline.add(device.deviceId());
        }
      }
      long first = firstWindowStart((long) readings.get(0)[0], WINDOW);
      long last = (long) readings.get(readings.size() - 1)[0];
      int run = 0;
      for (long start = first; start <= last; start += MINUTE) {
        double[] w = window(readings, start);
        if (w[0] > 0 && w[1] > device.maxTemperatureC().doubleValue()) {
          if (++run >= 3) {
            overheat.add(device.deviceId());
          }
        } else {
          run = 0;
        }
        if (w[0] >= 20 && w[2] > 0.5) {
          degrading.add(device.deviceId());
        }
      }
    }
    Set<String> expectedOverheat = new TreeSet<>();
    Set<String> expectedDegrading = new TreeSet<>();
    Set<String> expectedOffline = new TreeSet<>();
    for (int i = 0; i < config.devices(); i++) {
      if (!SensorGenerator.isRegistered(i)) {
        continue;
      }
      if (i % 50 == 7) {
        expectedOverheat.add(SensorGenerator.deviceId(i));
      }
      if (i % 50 == 13) {
        expectedDegrading.add(SensorGenerator.deviceId(i));
      }
      if (i % 97 == 5) {
        expectedOffline.add(SensorGenerator.deviceId(i));
      }
    }
    Set<Long> expectedSpikes = new TreeSet<>();
    for (long n = 17; n < positions; n += 5003) {
      if (generator.isSpike(n) && SensorGenerator.isRegistered(generator.deviceIndex(n))
          && !generator.recordsOf(n).isEmpty()) {
        expectedSpikes.add(n);
      }
    }
    assertThat(overheat).isNotEmpty().isEqualTo(expectedOverheat);
    assertThat(degrading).isNotEmpty().isEqualTo(expectedDegrading);
    assertThat(offline).isNotEmpty().isEqualTo(expectedOffline);
    assertThat(spikes).isNotEmpty().isEqualTo(expectedSpikes);
  }

  /** {readings, average temperature, least-squares slope of vibration per minute} of [start, start + 10m). */
  static double[] window(List<double[]> readings, long start) {
    int count = 0;
    double temperature = 0;
    double sx = 0;
    double sy = 0;
    for (double[] r : readings) {
      if (r[0] >= start && r[0] < start + WINDOW) {
        count++;
        temperature += r[1];
        sx += (r[0] - start) / MINUTE;
        sy += r[2];
      }
    }
    if (count == 0) {
      return new double[] {0, Double.NaN, Double.NaN};
    }
    double mx = sx / count;
    double my = sy / count;
    double sxx = 0;
    double sxy = 0;
    for (double[] r : readings) {
      if (r[0] >= start && r[0] < start + WINDOW) {
        double dx = (r[0] - start) / MINUTE - mx;
        sxx += dx * dx;
        sxy += dx * (r[2] - my);
      }
    }
    return new double[] {count, temperature / count, sxx > 0 ? sxy / sxx : Double.NaN};
  }

  @Test
  void aBoundedReadEmitsEveryRecordOfItsPositions(TestPipeline p) {
    SyntheticSensorConfig config = SMALL.withDuplicateFraction(0.05).withMalformedFraction(0.05);
    assertReadEmits(p, SyntheticSensorIO.read(config, 2000), records(config, 2000));
  }
}
