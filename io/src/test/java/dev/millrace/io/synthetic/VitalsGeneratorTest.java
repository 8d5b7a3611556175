package dev.millrace.io.synthetic;

import static dev.millrace.io.synthetic.SyntheticRecordsTesting.JSON;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.MINUTE;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.assertReadEmits;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.assertTheSeedDecides;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.assertThirdsOfASecond;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.eventTimeAndId;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.fieldNames;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.firstWindowStart;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.millis;
import static dev.millrace.io.synthetic.SyntheticRecordsTesting.trouble;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.model.reference.Patient;
import dev.millrace.model.reference.PatientRegistry;
import dev.millrace.testing.BeamPipelineExtension;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.TestPipeline;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeamPipelineExtension.class)
class VitalsGeneratorTest {
  static final long WINDOW = 5 * MINUTE;
  static final long SILENCE = 2 * MINUTE;
  static final BigDecimal SPO2_THRESHOLD = BigDecimal.valueOf(90);
  static final double EARTH_RADIUS_M = 6_371_008.8;
  /** The small run: 20 patients, each reading every 10 s; 7,200 positions are an hour of event time. */
  static final SyntheticVitalsConfig SMALL = SyntheticVitalsConfig.defaults()
      .withSeed(7).withPatients(20).withEventsPerSecond(2).withDuplicateFraction(0.02).withMalformedFraction(0.02);
  static final int HOUR_OF_SMALL = 7_200;

  static List<String> records(SyntheticVitalsConfig config, long positions) {
    return SyntheticRecordsTesting.records(new VitalsGenerator(config), positions);
  }

  @Test
  void theSameSeedGivesTheSameRecordsAndAnotherSeedDoesNot() {
    assertTheSeedDecides(SMALL, VitalsGenerator::new);
  }

  @Test
  void positionsMapToPatientsAndEventTimes() throws Exception {
    VitalsGenerator generator = new VitalsGenerator(SyntheticVitalsConfig.defaults());
    assertThat(generator.nominalTime(0)).hasToString("2026-01-01T00:00:00.000Z");
    assertThat(generator.nominalTime(12_345)).hasToString("2026-01-01T00:10:17.250Z");
    assertThat(generator.patientIndex(12_345)).isEqualTo(45);
    assertThat(VitalsGenerator.patientId(45)).isEqualTo("pat-00045");
    JsonNode reading = JSON.readTree(generator.recordsOf(12_345).get(0));
    assertThat(reading.get("patient_id").asText()).isEqualTo("pat-00045");
    assertThat(reading.get("event_time").asText()).isEqualTo("2026-01-01T00:10:17.250Z");
    assertThat(fieldNames(reading)).startsWith("patient_id", "event_time", "heart_rate", "spo2", "lat", "lon");
    assertThirdsOfASecond(new VitalsGenerator(SyntheticVitalsConfig.defaults().withEventsPerSecond(3)));
  }

  @Test
  void readingsHaveTheirTypesAndNormalOnesStayInTheirRanges() throws Exception {
    VitalsGenerator generator = new VitalsGenerator(SyntheticVitalsConfig.defaults());
    int withSteps = 0;
    int readings = 0;
    for (long n = 0; n < 72_000; n++) {
      int index = generator.patientIndex(n);
      Patient patient = generator.patient(index);
      for (String record : generator.recordsOf(n)) {
        JsonNode r = JSON.readTree(record);
        readings++;
        assertThat(r.get("heart_rate").isInt()).as(record).isTrue();
        assertThat(record).containsPattern("\"spo2\":\\d+(\\.\\d)?,")
            .containsPattern("\"lat\":-?\\d+\\.\\d{6},").containsPattern("\"lon\":-?\\d+\\.\\d{6}[,}]");
        assertThat(r.get("event_time").asText()).endsWith("Z");
        double distance = distanceFromHome(r, patient);
        if (r.has("steps")) {
          withSteps++;
          assertThat(r.get("steps").isInt()).as(record).isTrue();
          assertThat(r.get("steps").intValue()).isBetween(0, 100);
        }
        if (index % 20 == 3 || index % 20 == 7 || index % 20 == 11) {
          assertThat(distance).isLessThanOrEqualTo(2 * patient.safeRadiusM() + 50.1);
          continue;
        }
        assertThat(r.get("heart_rate").intValue()).as(record).isBetween(60, 90);
        assertThat(r.get("spo2").decimalValue()).as(record).isBetween(new BigDecimal("95"), new BigDecimal("99"));
        assertThat(distance).as(record).isLessThanOrEqualTo(50.1);
        if (r.has("steps")) {
          assertThat(r.get("steps").intValue()).isBetween(0, 30);
        }
      }
    }
    assertThat((double) withSteps / readings).isBetween(0.75, 0.85);
  }

  @Test
  void producesTheAskedFractionsOfTroubleAndEveryMalformedKind() throws Exception {
    SyntheticVitalsConfig config = SMALL.withDuplicateFraction(0.05).withMalformedFraction(0.05);
    SyntheticRecordsTesting.Trouble trouble =
        trouble(records(config, 2 * HOUR_OF_SMALL), VitalsGeneratorTest::kindOf, "patient_id");
    assertThat(trouble.malformedKinds().keySet()).containsExactlyInAnyOrder("empty_record", "malformed_json", "not_an_object",
        "missing_heart_rate", "heart_rate_not_integer", "heart_rate_out_of_range", "spo2_text",
        "spo2_out_of_range", "lat_out_of_range", "lon_out_of_range", "negative_steps", "bad_event_time",
        "empty_patient_id");
    assertThat(trouble.malformed()).isBetween(620, 820); // 5% of the ~14.35k non-silent positions
    assertThat(trouble.duplicates()).isBetween(590, 780); // 5% of the ~13.6k readings
  }

  /** What a record is: "valid", or which malformed kind, judged by the vitals record contract of issue #17. */
  static String kindOf(String record) {
    SyntheticRecordsTesting.Parsed parsed = SyntheticRecordsTesting.Parsed.of(record);
    if (parsed.object() == null) {
      return parsed.kind();
    }
    JsonNode r = parsed.object();
    if (!r.has("heart_rate")) {
      return "missing_heart_rate";
    }
    if (!r.get("heart_rate").isIntegralNumber()) {
      return "heart_rate_not_integer";
    }
    if (r.get("heart_rate").intValue() < 20 || r.get("heart_rate").intValue() > 250) {
      return "heart_rate_out_of_range";
    }
    if (!r.get("spo2").isNumber()) {
      return "spo2_text";
    }
    if (!between(r.get("spo2"), 50, 100)) {
      return "spo2_out_of_range";
    }
    if (!between(r.get("lat"), -90, 90)) {
      return "lat_out_of_range";
    }
    if (!between(r.get("lon"), -180, 180)) {
      return "lon_out_of_range";
    }
    if (r.has("steps") && r.get("steps").intValue() < 0) {
      return "negative_steps";
    }
    return eventTimeAndId(r, "patient_id");
  }

  static boolean between(JsonNode number, int low, int high) {
    BigDecimal v = number.decimalValue();
    return v.compareTo(BigDecimal.valueOf(low)) >= 0 && v.compareTo(BigDecimal.valueOf(high)) <= 0;
  }

  @Test
  void theRegistryLeavesOutEveryThirtySeventhPatientAndMatchesItsJsonLines() throws Exception {
    VitalsGenerator generator = new VitalsGenerator(SyntheticVitalsConfig.defaults());
    PatientRegistry registry = generator.registry();
    assertThat(registry.size()).isEqualTo(97); // 4, 41, 78 left out
    for (int i = 0; i < 100; i++) {
      Patient patient = registry.get(VitalsGenerator.patientId(i));
      assertThat(VitalsGenerator.isRegistered(i)).isEqualTo(i % 37 != 4);
      if (i % 37 == 4) {
        assertThat(patient).isNull();
      } else {
        assertThat(patient).isEqualTo(generator.patient(i));
        assertThat(patient.homeLat()).isBetween(52.3, 52.7);
        assertThat(patient.homeLon()).isBetween(13.1, 13.7);
        assertThat(patient.safeRadiusM()).isBetween(200.0, 500.0);
        assertThat(patient.maxHeartRate()).isBetween(new BigDecimal("100"), new BigDecimal("130"));
        assertThat(patient.maxHeartRate().scale()).isZero();
        assertThat(patient.caregiver()).matches("carer-\\d+@example\\.org");
      }
    }
    List<String> lines = generator.registryJsonLines();
    assertThat(lines).hasSize(97);
    List<String> ids = new ArrayList<>();
    for (String line : lines) {
      JsonNode row = JSON.readTree(line);
      assertThat(fieldNames(row)).containsExactly(
          "patient_id", "home_lat", "home_lon", "safe_radius_m", "max_heart_rate", "caregiver");
      assertThat(row.get("safe_radius_m").isIntegralNumber()).isTrue();
      assertThat(row.get("max_heart_rate").isIntegralNumber()).isTrue();
      Patient patient = registry.get(row.get("patient_id").asText());
      assertThat(new Patient(row.get("patient_id").asText(), row.get("home_lat").doubleValue(),
          row.get("home_lon").doubleValue(), row.get("safe_radius_m").doubleValue(),
          row.get("max_heart_rate").decimalValue(), row.get("caregiver").asText())).isEqualTo(patient);
      ids.add(patient.patientId());
    }
    assertThat(ids).isSorted();
  }

  @Test
  void theConfigRejectsNonsense() {
    assertThatThrownBy(() -> SyntheticVitalsConfig.defaults().withPatients(0))
        .hasMessage("patients must be >= 1, but was: 0");
    assertThatThrownBy(() -> SyntheticVitalsConfig.defaults().withEventsPerSecond(0))
        .hasMessage("rate must be > 0, but was: 0.0");
    assertThatThrownBy(() -> SyntheticVitalsConfig.defaults().withStartTime(null))
        .hasMessage("startTime must be set, but was: null");
    assertThatThrownBy(() -> SyntheticVitalsConfig.defaults().withDuplicateFraction(-0.1))
        .hasMessage("duplicateFraction must be between 0 and 1, but was: -0.1");
    assertThatThrownBy(() -> SyntheticVitalsConfig.defaults().withMalformedFraction(1.5))
        .hasMessage("malformedFraction must be between 0 and 1, but was: 1.5");
    assertThatThrownBy(() -> SyntheticVitalsIO.read(SyntheticVitalsConfig.defaults(), -1))
        .hasMessage("maxEvents must be >= 0, but was: -1");
  }

  @Test
  void twoHoursOfTheSmallRunShowEachPatternTwiceOnItsPatientsOnly() throws Exception {
    assertPatterns(SMALL, 2 * HOUR_OF_SMALL, 2);
  }

  @Test
  void anHourOfTheDefaultRunShowsEachPatternOnItsPatientsOnly() throws Exception {
    assertPatterns(SyntheticVitalsConfig.defaults(), 72_000, 1);
  }

  @Test
  void theMinimumRunShowsEachPatternEvenWithAStartOffTheMinute() throws Exception {
    // 12 patients, one reading each every 30 s, 45 minutes; windows stay epoch-aligned
    SyntheticVitalsConfig minimum = SMALL.withPatients(12).withEventsPerSecond(0.4)
        .withStartTime(Instant.parse("2026-01-01T00:00:37.500Z"));
    assertPatterns(minimum, 1_080, 1);
  }

  /**
   * Computes the notification patterns of issue #17 from the records (template defaults: sliding
   * windows of 5 min every 1 min, epoch-aligned; 3 windows for tachycardia; SpO2 below 90 in a window of
   * 3 or more readings; silence over 2 min) and checks that each registered patient shows exactly the
   * injected ones, once per hour of the run.
   */
  static void assertPatterns(SyntheticVitalsConfig config, long positions, int hours) throws Exception {
    VitalsGenerator generator = new VitalsGenerator(config);
    PatientRegistry registry = generator.registry();
    Map<String, List<JsonNode>> byPatient = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    for (long n = 0; n < positions; n++) {
      for (String record : generator.recordsOf(n)) {
        if (!kindOf(record).equals("valid")) {
          continue;
        }
        JsonNode r = JSON.readTree(record);
        String id = r.get("patient_id").asText();
        if (registry.get(id) != null && seen.add(id + "@" + r.get("event_time").asText())) {
          byPatient.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
        }
      }
    }
    Map<String, List<Integer>> found = new TreeMap<>(); // left, returned, tachycardia, low_spo2, silent
    for (Map.Entry<String, List<JsonNode>> e : byPatient.entrySet()) {
      Patient patient = registry.get(e.getKey());
      List<JsonNode> readings = e.getValue();
      readings.sort((a, b) -> Long.compare(millis(a), millis(b)));
      int left = 0;
      int returned = 0;
      int silent = 0;
      boolean inside = true; // the first reading outside counts as leaving
      for (int k = 0; k < readings.size(); k++) {
        boolean out = distanceFromHome(readings.get(k), patient) > patient.safeRadiusM();
        if (out && inside) {
          left++;
        } else if (!out && !inside) {
          returned++;
        }
        inside = !out;
        if (k > 0 && millis(readings.get(k)) - millis(readings.get(k - 1)) > SILENCE) {
          silent++;
        }
      }
      int tachycardia = 0;
      int lowSpo2 = 0;
      int run = 0;
      boolean wasLow = false;
      long first = firstWindowStart(millis(readings.get(0)), WINDOW);
      long last = millis(readings.get(readings.size() - 1));
      int from = 0; // readings sorted by time: the window's first reading
      for (long start = first; start <= last; start += MINUTE) {
        while (millis(readings.get(from)) < start) {
          from++;
        }
        long count = 0;
        long heartBeats = 0;
        boolean allLow = true;
        for (int k = from; k < readings.size() && millis(readings.get(k)) < start + WINDOW; k++) {
          JsonNode r = readings.get(k);
          count++;
          heartBeats += r.get("heart_rate").intValue();
          allLow &= r.get("spo2").decimalValue().compareTo(SPO2_THRESHOLD) < 0;
        }
        // avg > max, exactly: sum > max * count
        if (count > 0 && BigDecimal.valueOf(heartBeats).compareTo(patient.maxHeartRate().multiply(BigDecimal.valueOf(count))) > 0) {
          if (++run == 3) {
            tachycardia++;
          }
        } else {
          run = 0;
        }
        boolean low = count >= 3 && allLow;
        if (low && !wasLow) {
          lowSpo2++;
        }
        wasLow = low;
      }
      List<Integer> counts = List.of(left, returned, tachycardia, lowSpo2, silent);
      if (!counts.equals(List.of(0, 0, 0, 0, 0))) {
        found.put(e.getKey(), counts);
      }
    }
    Map<String, List<Integer>> expected = new TreeMap<>();
    for (int i = 0; i < config.patients(); i++) {
      if (!VitalsGenerator.isRegistered(i)) {
        continue;
      }
      int walk = i % 20 == 3 ? hours : 0;
      List<Integer> counts = List.of(walk, walk, i % 20 == 7 ? hours : 0, i % 20 == 11 ? hours : 0,
          i % 29 == 5 ? hours : 0);
      if (!counts.equals(List.of(0, 0, 0, 0, 0))) {
        expected.put(VitalsGenerator.patientId(i), counts);
      }
    }
    assertThat(expected.values()).as("every pattern injected")
        .anyMatch(c -> c.get(0) > 0).anyMatch(c -> c.get(2) > 0).anyMatch(c -> c.get(3) > 0)
        .anyMatch(c -> c.get(4) > 0);
    assertThat(found).isEqualTo(expected);
  }

  /** The haversine distance of the reading from the patient's home, as issue #17 defines it. */
  static double distanceFromHome(JsonNode reading, Patient patient) {
    double lat1 = Math.toRadians(patient.homeLat());
    double lat2 = Math.toRadians(reading.get("lat").doubleValue());
    double dLat = lat2 - lat1;
    double dLon = Math.toRadians(reading.get("lon").doubleValue() - patient.homeLon());
    double h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(lat1) * Math.cos(lat2) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  @Test
  void aBoundedReadEmitsEveryRecordOfItsPositions(TestPipeline p) {
    SyntheticVitalsConfig config = SMALL.withDuplicateFraction(0.05).withMalformedFraction(0.05);
    assertReadEmits(p, SyntheticVitalsIO.read(config, 2000), records(config, 2000));
  }
}
