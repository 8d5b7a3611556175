package dev.millrace.model.reference;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One row of the device registry: what a device is, where it runs, and its alert thresholds. */
public record Device(
    String deviceId,
    String model,
    String site,
    BigDecimal maxTemperatureC,
    BigDecimal maxVibrationMmS,
    @Nullable String installedDate)
    implements Serializable {

  public Device {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(maxTemperatureC, "maxTemperatureC");
    Objects.requireNonNull(maxVibrationMmS, "maxVibrationMmS");
  }
}
