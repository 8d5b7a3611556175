package dev.millrace.io.synthetic;

import static dev.millrace.io.synthetic.SyntheticRecords.array;
import static dev.millrace.io.synthetic.SyntheticRecords.blank;
import static dev.millrace.io.synthetic.SyntheticRecords.decimal;
import static dev.millrace.io.synthetic.SyntheticRecords.noise;
import static dev.millrace.io.synthetic.SyntheticRecords.truncated;
import static dev.millrace.io.synthetic.SyntheticRecords.with;
import static dev.millrace.io.synthetic.SyntheticRecords.without;
import static dev.millrace.io.synthetic.SyntheticRecords.withoutOffset;

import dev.millrace.model.reference.Patient;
import dev.millrace.model.reference.PatientRegistry;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.joda.time.Instant;

/**
 * Synthetic wearable vitals readings and the patient registry they belong to, deterministic for a
 * seed. Position n is a reading of patient {@code pat-%05d} with index {@code n % patients} at {@code
 * startTime + n / rate} (milliseconds), so each patient reads every {@code patients / rate} seconds.
 * Homes are spread over a city (lat 52.3-52.7, lon 13.1-13.7) with a {@code safe_radius_m} of
 * 200-500 m, a {@code max_heart_rate} of 100-130 and a caregiver {@code carer-N@example.org}. Normal
 * readings: heart rate 60-82, SpO2 95.0-99.0 (one decimal), a position at most 50 m from home
 * (random jitter; lat/lon with 6 decimals), steps 0-30 or absent (one reading in five). Patients with
 * index {@code % 37 == 4} are not in the registry (their readings are {@code unknown_patient}).
 *
 * <p>The notification patterns follow a schedule that repeats every hour of event time; the phase of
 * a reading is {@code (eventTime - startTime) mod 1h}:
 *
 * <ul>
 *   <li>walk ({@code left_safe_zone}, then {@code returned_home}): patients with index {@code % 20 ==
 *       3} walk straight out (no jitter) to twice their safe radius in phase [5m, 8m), stay there
 *       (with jitter, so at least 350 m and 1.75 radii from home) in [8m, 12m) and walk straight back
 *       in [12m, 15m). The distance grows and shrinks monotonically, so it crosses the radius once out
 *       (1.5 minutes into the walk) and once back (at 13.5 minutes), as long as a patient reads at
 *       most every 0.1 s (each step then moves more than the 0.1 m by which 6 decimals of lat/lon can
 *       shift a position).
 *   <li>tachycardia: index {@code % 20 == 7}: heart rate {@code max_heart_rate + 25} (+-2) in phase
 *       [17m, 25m): every 5-minute window (1-minute period) inside those 8 minutes, at least 3 in a
 *       row, averages above the max; normal heart rates never exceed 82 &lt; 100.
 *   <li>low_spo2: index {@code % 20 == 11}: SpO2 84.0-88.0 in phase [35m, 42m): the windows inside
 *       those 7 minutes (2 or 3) hold only readings below 90.
 *   <li>device_silent: index {@code % 29 == 5}: no records in phase [28m, 32m) (their positions yield
 *       none), a gap of 4 minutes plus one reading interval; no other pattern runs then.
 * </ul>
 *
 * <p>So the lowest indices are 3 (walk), 4 (unregistered), 5 (silent), 7 (tachycardia) and 11
 * (low_spo2): every pattern shows with 12 or more patients, a reading per patient at least every 30 s
 * ({@code patients <= 30 * rate}, so that only silent patients have gaps over 2 minutes, even with a
 * few readings malformed, and a window holds 3 or more readings) and at least 45 minutes of event
 * time ({@code positions >= 2700 * rate}): e.g. 20 patients, 2 readings/s, 5,400 positions (7,200 for
 * a full hour), or the defaults (100 patients, 20/s) with 54,000 positions. With more patients, every
 * 20th (every 29th) index repeats a pattern.
 *
 * <p>Optional duplicates (the same line twice) and malformed records (instead of the reading, cycling
 * by {@code n % 13} through a blank line, truncated JSON, a JSON array, no {@code heart_rate}, {@code
 * heart_rate} 72.5 and 251, {@code "spo2":"NaN"}, {@code spo2} 49.9, {@code lat} 91, {@code lon}
 * -180.5, {@code steps} -1, an event time without offset and an empty {@code patient_id}) as for the
 * other sources.
 */
public final class VitalsGenerator extends FleetReadings {
  /** The mean Earth radius that the template's haversine distance uses. */
  static final double EARTH_RADIUS_M = 6_371_008.8;
  static final long WALK_FROM = 5 * MINUTE;
  static final long WALK_LEG = 3 * MINUTE;
  static final long WALK_AWAY = 4 * MINUTE;
  static final Pattern WALK = new Pattern(20, 3, WALK_FROM, WALK_FROM + WALK_LEG + WALK_AWAY + WALK_LEG);
  static final double WALK_RADII = 2;
  static final Pattern TACHYCARDIA = new Pattern(20, 7, 17 * MINUTE, 25 * MINUTE);
  static final int TACHYCARDIA_BEATS = 25;
  static final Pattern SILENT = new Pattern(29, 5, 28 * MINUTE, 32 * MINUTE);
  static final Pattern LOW_SPO2 = new Pattern(20, 11, 35 * MINUTE, 42 * MINUTE);
  static final double JITTER_M = 50;
  /** Thirteen kinds of broken record, each a dead letter, cycled by position. */
  static final List<SyntheticRecords.Breakage> MALFORMED = List.of(
      blank(),
      truncated(3),
      array("patient_id", "heart_rate"),
      without("heart_rate"),
      with("heart_rate", new BigDecimal("72.5")),
      with("heart_rate", 251),
      with("spo2", "NaN"),
      with("spo2", new BigDecimal("49.9")),
      with("lat", 91),
      with("lon", new BigDecimal("-180.5")),
      with("steps", -1),
      withoutOffset("event_time"),
      with("patient_id", ""));

  private final SyntheticVitalsConfig config;

  public VitalsGenerator(SyntheticVitalsConfig config) {
    super(config, config.patients());
    this.config = config;
  }

  @Override
  public VitalsGenerator startingAt(Instant start) {
    return new VitalsGenerator(config.withStartTime(start));
  }

  /** The index of the patient that position n reads. */
  public int patientIndex(long n) {
    return memberIndex(n);
  }

  public static String patientId(int index) {
    return String.format("pat-%05d", index);
  }

  public static boolean isRegistered(int index) {
    return index % 37 != 4;
  }

  /** Patient {@code index}'s registry row, whether or not it is in {@link #registry()}. */
  public Patient patient(int index) {
    return profile(index).patient();
  }

  /** The patients with index 0 .. patients-1, except the unregistered ones. */
  public PatientRegistry registry() {
    return PatientRegistry.of(registeredRows(VitalsGenerator::isRegistered, this::patient), "synthetic",
        config.startTime());
  }

  /** {@link #registry()} as JSON lines, sorted by {@code patient_id}. */
  @Override
  public List<String> registryJsonLines() {
    return jsonLines(registry().patients(), Patient::patientId, p -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("patient_id", p.patientId());
      row.put("home_lat", decimal(p.homeLat(), 6));
      row.put("home_lon", decimal(p.homeLon(), 6));
      row.put("safe_radius_m", p.safeRadiusM() == Math.rint(p.safeRadiusM())
          ? (Object) (long) p.safeRadiusM() : (Object) p.safeRadiusM());
      row.put("max_heart_rate", p.maxHeartRate());
      row.put("caregiver", p.caregiver());
      return row;
    });
  }

  @Override
  List<SyntheticRecords.Breakage> malformedKinds() {
    return MALFORMED;
  }

  @Override
  boolean isSilent(int index, long phase) {
    return SILENT.playsAt(index, phase);
  }

  @Override
  Map<String, Object> reading(long n, int index, Instant time, long phase, SplittableRandom r) {
    Profile p = profile(index);
    Patient patient = p.patient();
    int heartRate = p.heartRate() + r.nextInt(-4, 5);
    if (TACHYCARDIA.playsAt(index, phase)) {
      heartRate = patient.maxHeartRate().intValueExact() + TACHYCARDIA_BEATS + r.nextInt(-2, 3);
    }
    double spo2 = p.spo2() + noise(r, 1);
    if (LOW_SPO2.playsAt(index, phase)) {
      spo2 = 84 + 4 * r.nextDouble();
    }
    double away = 0;
    boolean moving = false;
    if (WALK.playsAt(index, phase)) {
      double far = WALK_RADII * patient.safeRadiusM();
      long t = phase - WALK_FROM;
      if (t < WALK_LEG) {
        away = far * t / WALK_LEG;
        moving = true;
      } else if (t < WALK_LEG + WALK_AWAY) {
        away = far;
      } else {
        away = far * (1 - (double) (t - WALK_LEG - WALK_AWAY) / WALK_LEG);
        moving = true;
      }
    }
    double[] position = destination(patient.homeLat(), patient.homeLon(), p.walkBearing(), away);
    double jitterBearing = 2 * Math.PI * r.nextDouble();
    double jitter = JITTER_M * r.nextDouble();
    if (!moving) {
      position = destination(position[0], position[1], jitterBearing, jitter);
    }
    boolean hasSteps = r.nextInt(5) != 0;
    int steps = moving ? 60 + r.nextInt(41) : r.nextInt(31);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("patient_id", patientId(index));
    fields.put("event_time", time.toString());
    fields.put("heart_rate", heartRate);
    fields.put("spo2", decimal(spo2, 1));
    fields.put("lat", decimal(position[0], 6));
    fields.put("lon", decimal(position[1], 6));
    if (hasSteps) {
      fields.put("steps", steps);
    }
    return fields;
  }

  /** The point {@code distanceM} from (lat, lon) at the bearing (radians from north), on the sphere. */
  static double[] destination(double lat, double lon, double bearing, double distanceM) {
    double d = distanceM / EARTH_RADIUS_M;
    double lat1 = Math.toRadians(lat);
    double lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(bearing));
    double lon2 = Math.toRadians(lon)
        + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
    return new double[] {Math.toDegrees(lat2), Math.toDegrees(lon2)};
  }

  /** Who a patient is (the registry row) and their normal vitals and walking direction. */
  private record Profile(Patient patient, int heartRate, double spo2, double walkBearing) {}

  private Profile profile(int index) {
    SplittableRandom r = profileRandom(0x5a7e11L, index);
    double homeLat = decimal(52.3 + 0.4 * r.nextDouble(), 6).doubleValue();
    double homeLon = decimal(13.1 + 0.6 * r.nextDouble(), 6).doubleValue();
    double safeRadius = 200 + 10 * r.nextInt(31);
    BigDecimal maxHeartRate = BigDecimal.valueOf(100 + r.nextInt(31));
    String caregiver = "carer-" + (1 + r.nextInt(60)) + "@example.org";
    Patient patient = new Patient(patientId(index), homeLat, homeLon, safeRadius, maxHeartRate, caregiver);
    int heartRate = 64 + r.nextInt(15);
    double spo2 = 96 + 2 * r.nextDouble();
    double walkBearing = 2 * Math.PI * r.nextDouble();
    return new Profile(patient, heartRate, spo2, walkBearing);
  }
}
