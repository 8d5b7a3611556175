package dev.millrace.io.synthetic;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.joda.time.Instant;

/**
 * What the sensor-style synthetic generators share: positions to event times, the duplicate and
 * malformed draws, the malformed kinds cycled by position, JSON writing, and the config checks.
 */
final class SyntheticRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SyntheticRecords() {}

  /** A generator whose position n yields records at a nominal time: what {@link SyntheticReads} reads. */
  interface Positions extends Serializable {
    Instant nominalTime(long n);

    List<String> recordsOf(long n);

    /** The same generator with its first position at {@code start}: every event time moved alike. */
    Positions startingAt(Instant start);
  }

  /**
   * One kind of malformed record, made from a copy of the valid record's fields; {@code round} is
   * {@code n / kinds}, for kinds that alternate between values.
   */
  @FunctionalInterface
  interface Breakage {
    String apply(Map<String, Object> fields, long round);
  }

  /** {@code start + n / eventsPerSecond} seconds, floored to the millisecond. */
  static Instant nominalTime(long startMillis, double eventsPerSecond, long n) {
    return new Instant(startMillis + (long) Math.floor(n * 1000.0 / eventsPerSecond));
  }

  /** True with probability {@code fraction}; draws nothing when the fraction is 0. */
  static boolean chance(SplittableRandom r, double fraction) {
    return fraction > 0 && r.nextDouble() < fraction;
  }

  /** The line, twice with probability {@code duplicateFraction}. */
  static List<String> onceOrTwice(String line, SplittableRandom r, double duplicateFraction) {
    return chance(r, duplicateFraction) ? List.of(line, line) : List.of(line);
  }

  /** The malformed record of position n: kind {@code n % kinds.size()} applied to the fields. */
  static String malformed(long n, Map<String, Object> fields, List<Breakage> kinds) {
    return kinds.get((int) (n % kinds.size())).apply(fields, n / kinds.size());
  }

  /** An empty line. */
  static Breakage blank() {
    return (fields, round) -> "";
  }

  /** The JSON object of the first {@code count} fields without its closing brace. */
  static Breakage truncated(int count) {
    return (fields, round) -> {
      Map<String, Object> first = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : fields.entrySet()) {
        if (first.size() == count) {
          break;
        }
        first.put(e.getKey(), e.getValue());
      }
      String object = json(first);
      return object.substring(0, object.length() - 1);
    };
  }

  /** A JSON array of the values of the given fields. */
  static Breakage array(String... keys) {
    return (fields, round) -> {
      List<Object> values = new ArrayList<>(keys.length);
      for (String key : keys) {
        values.add(fields.get(key));
      }
      return json(values);
    };
  }

  /** The record without the field. */
  static Breakage without(String key) {
    return (fields, round) -> {
      fields.remove(key);
      return json(fields);
    };
  }

  /** The record with the field set to the value (a number, a string, ...). */
  static Breakage with(String key, Object value) {
    return (fields, round) -> {
      fields.put(key, value);
      return json(fields);
    };
  }

  /** The record with the field set to {@code even} in even rounds, to {@code odd} in odd ones. */
  static Breakage alternating(String key, Object even, Object odd) {
    return (fields, round) -> {
      fields.put(key, round % 2 == 0 ? even : odd);
      return json(fields);
    };
  }

  /** The record with its ISO instant field as {@code yyyy-MM-dd HH:mm:ss}: no {@code T}, no offset. */
  static Breakage withoutOffset(String key) {
    return (fields, round) -> {
      fields.put(key, ((String) fields.get(key)).substring(0, 19).replace('T', ' '));
      return json(fields);
    };
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static BigDecimal decimal(double v, int scale) {
    return BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_UP);
  }

  /** Triangular noise in (-amplitude, amplitude). */
  static double noise(SplittableRandom r, double amplitude) {
    return amplitude * (r.nextDouble() + r.nextDouble() - 1);
  }

  static void checkRate(double eventsPerSecond) {
    checkArgument(eventsPerSecond > 0, "rate must be > 0, but was: %s", eventsPerSecond);
  }

  static void checkAtLeastOne(String name, int count) {
    checkArgument(count >= 1, "%s must be >= 1, but was: %s", name, count);
  }

  static void checkStartTime(Instant startTime) {
    checkArgument(startTime != null, "startTime must be set, but was: null");
  }

  static void checkFraction(String name, double fraction) {
    checkArgument(fraction >= 0 && fraction <= 1, "%s must be between 0 and 1, but was: %s", name, fraction);
  }
}
