package dev.millrace.io.sensor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.io.reference.ReferenceDataException;
import dev.millrace.io.reference.ReferenceDataIO;
import dev.millrace.io.reference.ReferenceFiles;
import dev.millrace.transforms.sensor.Device;
import dev.millrace.transforms.sensor.DeviceRegistry;
import dev.millrace.transforms.sensor.DeviceRegistryCoder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.joda.time.Instant;

/**
 * The device registry (predictive-maintenance's reference table): JSON lines or Parquet on any Beam
 * filesystem, one row per device: {@code device_id}, {@code model}, {@code site} (non-empty strings),
 * {@code max_temperature_c}, {@code max_vibration_mm_s} (numbers, vibration >= 0), optional {@code
 * installed_date}. All or nothing, as every reference table.
 */
public final class DeviceRegistries {
  public static final String NAME = "registry";
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeviceRegistries() {}


  public static DeviceRegistry load(String filepattern) throws ReferenceDataException {
    List<Device> rows = ReferenceFiles.read(filepattern, "device registry", DeviceRegistries::device, Device::deviceId);
    return DeviceRegistry.of(rows, filepattern, Instant.now());
  }

  static Device device(ReferenceFiles.Fields fields) {
    String id = ReferenceFiles.text(fields, "device_id", true);
    String model = ReferenceFiles.text(fields, "model", true);
    String site = ReferenceFiles.text(fields, "site", true);
    BigDecimal maxTemperature = ReferenceFiles.decimal(fields, "max_temperature_c");
    BigDecimal maxVibration = ReferenceFiles.decimal(fields, "max_vibration_mm_s");
    if (maxVibration.signum() < 0) {
      throw new IllegalArgumentException("field 'max_vibration_mm_s' must be >= 0, but was " + maxVibration);
    }
    return new Device(id, model.intern(), site.intern(), maxTemperature, maxVibration,
        ReferenceFiles.text(fields, "installed_date", false));
  }

  /** Read once (bounded) or, {@code withRefresh}, reloaded when the files change. */
  public static ReferenceDataIO<DeviceRegistry> fromFiles(String filepattern) {
    return ReferenceDataIO.fromFiles(NAME, filepattern, DeviceRegistries::load, DeviceRegistry::size,
        DeviceRegistryCoder.of());
  }

  /** A registry made in memory (the synthetic generator's), described as {@code description}. */
  public static ReferenceDataIO<DeviceRegistry> of(ReferenceDataIO.Maker<DeviceRegistry> registry, String description) {
    return ReferenceDataIO.made(NAME, description, registry, DeviceRegistry::size, DeviceRegistryCoder.of());
  }

  /** The rows as JSON lines in device_id order (for writing a synthetic registry). */
  public static List<String> toJsonLines(DeviceRegistry registry) {
    Map<String, Device> sorted = new TreeMap<>();
    registry.devices().forEach(d -> sorted.put(d.deviceId(), d));
    List<String> lines = new ArrayList<>(sorted.size());
    for (Device d : sorted.values()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("device_id", d.deviceId());
      row.put("model", d.model());
      row.put("site", d.site());
      row.put("max_temperature_c", d.maxTemperatureC());
      row.put("max_vibration_mm_s", d.maxVibrationMmS());
      row.put("installed_date", d.installedDate());
      try {
        lines.add(JSON.writeValueAsString(row));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return lines;
  }
}
