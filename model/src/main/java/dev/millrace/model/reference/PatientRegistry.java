package dev.millrace.model.reference;

import dev.millrace.model.reference.ReferenceTable;
import java.util.Collection;
import org.joda.time.Instant;

/** One version of the patient registry, by {@code patient_id}. */
public final class PatientRegistry extends ReferenceTable<Patient> {
  private PatientRegistry(Collection<Patient> rows, String source, Instant loadedAt) {
    super(rows, Patient::patientId, "patient_id", source, loadedAt);
  }

  /** A registry of the given patients; a repeated {@code patient_id} is an error. */
  public static PatientRegistry of(Collection<Patient> rows, String source, Instant loadedAt) {
    return new PatientRegistry(rows, source, loadedAt);
  }

  public Collection<Patient> patients() {
    return rows();
  }
}
