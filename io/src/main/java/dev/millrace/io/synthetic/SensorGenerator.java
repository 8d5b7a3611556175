package dev.millrace.io.synthetic;

import static dev.millrace.io.synthetic.SyntheticRecords.alternating;
import static dev.millrace.io.synthetic.SyntheticRecords.array;
import static dev.millrace.io.synthetic.SyntheticRecords.blank;
import static dev.millrace.io.synthetic.SyntheticRecords.decimal;
import static dev.millrace.io.synthetic.SyntheticRecords.noise;
import static dev.millrace.io.synthetic.SyntheticRecords.truncated;
import static dev.millrace.io.synthetic.SyntheticRecords.with;
import static dev.millrace.io.synthetic.SyntheticRecords.without;
import static dev.millrace.io.synthetic.SyntheticRecords.withoutOffset;

import dev.millrace.model.reference.Device;
import dev.millrace.model.reference.DeviceRegistry;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.joda.time.Instant;

/**
 * Synthetic machine sensor readings and the device registry they belong to, deterministic for a
 * seed. Position n is a reading of device {@code dev-%05d} with index {@code n % devices} at {@code
 * startTime + n / rate} (milliseconds), so each device reads every {@code devices / rate} seconds.
 * Normal readings are flat in time with a little noise and stay well inside the device's thresholds:
 * temperature 28-35 degrees below its {@code max_temperature_c} (about 45-67), vibration 1-3.4 mm/s
 * (its {@code max_vibration_mm_s} is 8-12), rpm 1,200-2,800. Devices with index {@code % 41 == 3}
 * are not in the registry (unregistered).
 *
 * <p>The alert patterns follow a schedule that repeats every hour of event time; the phase of a
 * reading is {@code (eventTime - startTime) mod 1h}:
 *
 * <ul>
 *   <li>overheat: devices with index {@code % 50 == 7} run 25 degrees above their max temperature for
 *       phase [3m, 11m); the sliding 10-minute windows (1-minute period) that hold 6 or more of those
 *       minutes (7 or more windows in a row when the start is on a minute) average above the max.
 *   <li>degrading: devices with index {@code % 50 == 13} ramp vibration up by 1.5 mm/s per minute for
 *       phase [2m, 10m) (to at most 15.4 mm/s, below the spike threshold of 16+), then drop back.
 *   <li>offline: devices with index {@code % 97 == 5} send nothing in phase [6m, 13m): their
 *       positions yield no record, a 7-minute gap.
 *   <li>vibration_spike: positions with {@code n % 5003 == 17}, from 5 minutes after the start on,
 *       carry vibration exactly 3 times the device's max (an alert when the device is registered);
 *       such a position is never malformed. None in the first minutes: there the windows are partial
 *       and a single high reading late in one tilts its trend over the degrading threshold.
 * </ul>
 *
 * <p>So the lowest index of each pattern is 3, 5, 7 and 13: every pattern shows with 14 or more
 * devices, a reading per device at least every 20 s ({@code devices <= 20 * rate}, for the 20
 * readings a trend needs) and at least 15 minutes of event time ({@code positions >= 900 * rate}):
 * e.g. 200 devices, 100 readings/s, 100,000 positions, or 20 devices, 20/s, 20,000 positions. A
 * spike can still make a degrading trend where a window holds few readings of its device: in the
 * last, partial windows of a bounded run, or when a device reads less often than about every 15 s.
 *
 * <p>Optional duplicates (the same line twice) and malformed records (instead of the reading,
 * cycling by {@code n % 9} through a blank line, truncated JSON, a JSON array, no {@code
 * temperature_c}, {@code "temperature_c":"NaN"}, {@code vibration_mm_s} -1 or 1000.5, {@code rpm}
 * 100001, an event time without offset and an empty {@code device_id}) as for the other sources.
 */
public final class SensorGenerator extends FleetReadings {
  static final String[] MODELS = {"pump-p200", "pump-p350", "compressor-c75", "motor-m3", "gearbox-g9"};
  static final String[] SITES = {"plant-a", "plant-b", "plant-c", "plant-d"};
  static final Pattern OVERHEAT = new Pattern(50, 7, 3 * MINUTE, 11 * MINUTE);
  static final double OVERHEAT_DEGREES = 25;
  static final Pattern DEGRADING = new Pattern(50, 13, 2 * MINUTE, 10 * MINUTE);
  static final double DEGRADING_PER_MINUTE = 1.5;
  static final Pattern OFFLINE = new Pattern(97, 5, 6 * MINUTE, 13 * MINUTE);
  static final long SPIKES_FROM = 5 * MINUTE;
  /** Nine kinds of broken record, each a dead letter, cycled by position. */
  static final List<SyntheticRecords.Breakage> MALFORMED = List.of(
      blank(),
      truncated(3),
      array("device_id", "temperature_c"),
      without("temperature_c"),
      with("temperature_c", "NaN"),
      alternating("vibration_mm_s", BigDecimal.valueOf(-1), new BigDecimal("1000.5")),
      with("rpm", 100_001),
      withoutOffset("event_time"),
      with("device_id", ""));
  private static final BigDecimal THREE = BigDecimal.valueOf(3);

  private final SyntheticSensorConfig config;

  public SensorGenerator(SyntheticSensorConfig config) {
    super(config, config.devices());
    this.config = config;
  }

  @Override
  public SensorGenerator startingAt(Instant start) {
    return new SensorGenerator(config.withStartTime(start));
  }

  /** The index of the device that position n reads. */
  public int deviceIndex(long n) {
    return memberIndex(n);
  }

  public static String deviceId(int index) {
    return String.format("dev-%05d", index);
  }

  public static boolean isRegistered(int index) {
    return index % 41 != 3;
  }

  boolean isSpike(long n) {
    return n % 5003 == 17 && nominalTime(n).getMillis() - startMillis >= SPIKES_FROM;
  }

  /** Device {@code index}'s registry row, whether or not it is in {@link #registry()}. */
  public Device device(int index) {
    return profile(index).device();
  }

  /** The devices with index 0 .. devices-1, except the unregistered ones. */
  public DeviceRegistry registry() {
    return DeviceRegistry.of(registeredRows(SensorGenerator::isRegistered, this::device), "synthetic",
        config.startTime());
  }

  /** {@link #registry()} as JSON lines, sorted by {@code device_id}. */
  @Override
  public List<String> registryJsonLines() {
    return jsonLines(registry().devices(), Device::deviceId, d -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("device_id", d.deviceId());
      row.put("model", d.model());
      row.put("site", d.site());
      row.put("max_temperature_c", d.maxTemperatureC());
      row.put("max_vibration_mm_s", d.maxVibrationMmS());
      row.put("installed_date", d.installedDate());
      return row;
    });
  }

  @Override
  List<SyntheticRecords.Breakage> malformedKinds() {
    return MALFORMED;
  }

  @Override
  boolean isSilent(int index, long phase) {
    return OFFLINE.playsAt(index, phase);
  }

  @Override
  boolean mayBeMalformed(long n) {
    return !isSpike(n);
  }

  @Override
  Map<String, Object> reading(long n, int index, Instant time, long phase, SplittableRandom r) {
    Profile p = profile(index);
    double temperature = p.temperature() + noise(r, 1.5);
    double vibration = p.vibration() + noise(r, 0.15);
    double rpm = p.rpm() + noise(r, 30);
    if (OVERHEAT.playsAt(index, phase)) {
      temperature += p.device().maxTemperatureC().doubleValue() + OVERHEAT_DEGREES - p.temperature();
    }
    if (DEGRADING.playsAt(index, phase)) {
      vibration += DEGRADING_PER_MINUTE * (phase - DEGRADING.from()) / MINUTE;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("device_id", deviceId(index));
    fields.put("event_time", time.toString());
    fields.put("temperature_c", decimal(temperature, 2));
    fields.put("vibration_mm_s",
        isSpike(n) ? p.device().maxVibrationMmS().multiply(THREE) : decimal(vibration, 2));
    fields.put("rpm", decimal(rpm, 1));
    return fields;
  }

  /** What a device is (its registry row) and how it normally runs. */
  private record Profile(Device device, double temperature, double vibration, double rpm) {}

  private Profile profile(int index) {
    SplittableRandom r = profileRandom(0xde71ceL, index);
    String model = MODELS[r.nextInt(MODELS.length)];
    String site = SITES[r.nextInt(SITES.length)];
    BigDecimal maxTemperature = BigDecimal.valueOf(800 + r.nextInt(151), 1);
    BigDecimal maxVibration = BigDecimal.valueOf(80 + r.nextInt(41), 1);
    String installed = String.format("2024-%02d-%02d", 1 + r.nextInt(12), 1 + r.nextInt(28));
    Device device = new Device(deviceId(index), model, site, maxTemperature, maxVibration, installed);
    double temperature = maxTemperature.doubleValue() - 28 - 7 * r.nextDouble();
    double vibration = 1.2 + 2 * r.nextDouble();
    double rpm = 1200 + 100 * r.nextInt(17);
    return new Profile(device, temperature, vibration, rpm);
  }
}
