package dev.millrace.transforms.sensor;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/** One version of the patient registry, by {@code patient_id}: what the side input holds. Immutable. */
public final class PatientRegistry implements Serializable {
  private final Map<String, Patient> patients;
  private final String source;
  private final Instant loadedAt;

  private PatientRegistry(Map<String, Patient> patients, String source, Instant loadedAt) {
    this.patients = patients;
    this.source = source;
    this.loadedAt = loadedAt;
  }

  /** A registry of the given patients; a repeated {@code patient_id} is an error. */
  public static PatientRegistry of(Collection<Patient> rows, String source, Instant loadedAt) {
    Map<String, Patient> byId = new HashMap<>(Math.max(16, rows.size() * 4 / 3 + 1));
    for (Patient row : rows) {
      if (byId.putIfAbsent(row.patientId(), row) != null) {
        throw new IllegalArgumentException("patient_id '" + row.patientId() + "' appears more than once");
      }
    }
    return new PatientRegistry(Collections.unmodifiableMap(byId), Objects.requireNonNull(source), loadedAt);
  }

  public @Nullable Patient get(String patientId) {
    return patients.get(patientId);
  }

  public int size() {
    return patients.size();
  }

  public Collection<Patient> patients() {
    return patients.values();
  }

  public String source() {
    return source;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  @Override
  public String toString() {
    return "PatientRegistry{" + size() + " patients from " + source + " at " + loadedAt + "}";
  }
}
