package dev.millrace.model.reference;

import dev.millrace.model.reference.ReferenceTable;
import java.util.Collection;
import org.joda.time.Instant;

/** One version of the device registry, by {@code device_id}. */
public final class DeviceRegistry extends ReferenceTable<Device> {
  private DeviceRegistry(Collection<Device> rows, String source, Instant loadedAt) {
    super(rows, Device::deviceId, "device_id", source, loadedAt);
  }

  /** A registry of the given devices; a repeated {@code device_id} is an error. */
  public static DeviceRegistry of(Collection<Device> rows, String source, Instant loadedAt) {
    return new DeviceRegistry(rows, source, loadedAt);
  }

  public Collection<Device> devices() {
    return rows();
  }
}
