package dev.millrace.io.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.model.RawRecord;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * What the tests of the synthetic generators share: a generator's records, JSON trees, the parts of
 * a reading's record contract every fleet source has (a JSON object first, a valid event time and a
 * non-empty id last), counting the troublesome records, and a bounded read against the generator.
 */
final class SyntheticRecordsTesting {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long MINUTE = 60_000;

  private SyntheticRecordsTesting() {}

  /** The records of positions {@code 0 .. positions-1}, in order. */
  static List<String> records(SyntheticRecords.Positions generator, long positions) {
    List<String> all = new ArrayList<>();
    for (long n = 0; n < positions; n++) {
      all.addAll(generator.recordsOf(n));
    }
    return all;
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static JsonNode tree(String json) throws Exception {
    return JSON.readTree(json);
  }

  static long millis(JsonNode reading) {
    return java.time.Instant.parse(reading.get("event_time").asText()).toEpochMilli();
  }

  /**
   * A record as a JSON object, or, when it is none, which malformed kind it is: {@code empty_record},
   * {@code malformed_json} or {@code not_an_object}.
   */
  record Parsed(JsonNode object, String kind) {
    static Parsed of(String record) {
      if (record.isBlank()) {
        return new Parsed(null, "empty_record");
      }
      JsonNode r;
      try {
        r = JSON.readTree(record);
      } catch (Exception e) {
        return new Parsed(null, "malformed_json");
      }
      return r.isObject() ? new Parsed(r, null) : new Parsed(null, "not_an_object");
    }
  }

  /** The last checks of a reading's contract: {@code bad_event_time}, {@code empty_<idField>} or {@code valid}. */
  static String eventTimeAndId(JsonNode reading, String idField) {
    try {
      java.time.Instant.parse(reading.get("event_time").asText());
    } catch (DateTimeParseException e) {
      return "bad_event_time";
    }
    if (reading.get(idField).asText().isBlank()) {
      return "empty_" + idField;
    }
    return "valid";
  }

  /** How many records of each malformed kind, and how many valid readings repeat one (same id and event time). */
  record Trouble(Map<String, Integer> malformedKinds, int duplicates) {
    int malformed() {
      return malformedKinds.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  static Trouble trouble(List<String> records, Function<String, String> kindOf, String idField) throws Exception {
    Map<String, Integer> kinds = new TreeMap<>();
    Set<String> readings = new HashSet<>();
    int duplicates = 0;
    for (String record : records) {
      String kind = kindOf.apply(record);
      if (kind.equals("valid")) {
        JsonNode r = JSON.readTree(record);
        if (!readings.add(r.get(idField).asText() + "@" + r.get("event_time").asText())) {
          duplicates++;
        }
      } else {
        kinds.merge(kind, 1, Integer::sum);
      }
    }
    return new Trouble(kinds, duplicates);
  }

  /** The start of the first sliding window (1-minute period, epoch-aligned) that holds {@code firstMillis}. */
  static long firstWindowStart(long firstMillis, long window) {
    return Math.floorDiv(firstMillis, MINUTE) * MINUTE - window + MINUTE;
  }

  /**
   * Checks that the seed decides a fleet's records and registry: a config's generator gives the same
   * as another of the same config, and other ones than the generator of the next seed.
   */
  static <C extends SyntheticConfig<C>> void assertTheSeedDecides(C config, Function<C, FleetReadings> generator) {
    FleetReadings one = generator.apply(config);
    FleetReadings same = generator.apply(config);
    FleetReadings other = generator.apply(config.withSeed(config.seed() + 1));
    assertThat(records(same, 3000)).isEqualTo(records(one, 3000));
    assertThat(records(other, 3000)).isNotEqualTo(records(one, 3000));
    assertThat(same.registryJsonLines()).isEqualTo(one.registryJsonLines())
        .isNotEqualTo(other.registryJsonLines());
  }

  /** Checks the event times of a generator at 3 positions a second from 2026-01-01: floored to the millisecond. */
  static void assertThirdsOfASecond(SyntheticRecords.Positions thirds) {
    assertThat(thirds.nominalTime(3)).hasToString("2026-01-01T00:00:01.000Z");
    assertThat(thirds.nominalTime(4)).hasToString("2026-01-01T00:00:01.333Z");
  }

  /** Runs {@code read} and checks that it emits exactly {@code expected}, in any order. */
  static void assertReadEmits(TestPipeline p, PTransform<PBegin, PCollection<RawRecord>> read, List<String> expected) {
    PCollection<String> payloads = p
        .apply(read)
        .apply(MapElements.into(TypeDescriptors.strings()).via(RawRecord::payload));
    PAssert.that(payloads).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }
}
