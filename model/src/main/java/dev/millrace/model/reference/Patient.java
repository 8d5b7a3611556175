package dev.millrace.model.reference;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;

/** One row of the patient registry: where home is, how far is safe, the heart-rate limit, whom to notify. */
public record Patient(
    String patientId, double homeLat, double homeLon, double safeRadiusM, BigDecimal maxHeartRate, String caregiver)
    implements Serializable {

  public Patient {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(maxHeartRate, "maxHeartRate");
    Objects.requireNonNull(caregiver, "caregiver");
  }
}
