package dev.millrace.transforms.sensor;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One version of the device registry, by {@code device_id}: what the side input holds. Immutable; a
 * reload makes a new registry, and a reading sees one version or the next, never a mix.
 */
public final class DeviceRegistry implements Serializable {
  private final Map<String, Device> devices;
  private final String source;
  private final Instant loadedAt;

  private DeviceRegistry(Map<String, Device> devices, String source, Instant loadedAt) {
    this.devices = devices;
    this.source = source;
    this.loadedAt = loadedAt;
  }

  /** A registry of the given devices; a repeated {@code device_id} is an error. */
  public static DeviceRegistry of(Collection<Device> rows, String source, Instant loadedAt) {
    Map<String, Device> byId = new HashMap<>(Math.max(16, rows.size() * 4 / 3 + 1));
    for (Device row : rows) {
      if (byId.putIfAbsent(row.deviceId(), row) != null) {
        throw new IllegalArgumentException("device_id '" + row.deviceId() + "' appears more than once");
      }
    }
    return new DeviceRegistry(Collections.unmodifiableMap(byId), Objects.requireNonNull(source), loadedAt);
  }

  public @Nullable Device get(String deviceId) {
    return devices.get(deviceId);
  }

  public int size() {
    return devices.size();
  }

  public Collection<Device> devices() {
    return devices.values();
  }

  public String source() {
    return source;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  @Override
  public String toString() {
    return "DeviceRegistry{" + size() + " devices from " + source + " at " + loadedAt + "}";
  }
}
