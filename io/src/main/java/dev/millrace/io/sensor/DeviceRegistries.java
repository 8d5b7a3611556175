package dev.millrace.io.sensor;

import dev.millrace.io.reference.ReferenceDataException;
import dev.millrace.io.reference.ReferenceDataIO;
import dev.millrace.io.reference.ReferenceFiles;
import dev.millrace.model.reference.Device;
import dev.millrace.model.reference.DeviceRegistry;
import dev.millrace.model.reference.DeviceRegistryCoder;
import java.math.BigDecimal;
import java.util.List;
import org.joda.time.Instant;

/**
 * The device registry (predictive-maintenance's reference table): JSON lines or Parquet on any Beam
 * filesystem, one row per device: {@code device_id}, {@code model}, {@code site} (non-empty strings),
 * {@code max_temperature_c}, {@code max_vibration_mm_s} (numbers, vibration >= 0), optional {@code
 * installed_date}. All or nothing, as every reference table.
 */
public final class DeviceRegistries {
  public static final String NAME = "registry";

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

}
