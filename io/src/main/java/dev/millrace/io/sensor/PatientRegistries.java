package dev.millrace.io.sensor;

import dev.millrace.io.reference.ReferenceDataException;
import dev.millrace.io.reference.ReferenceDataIO;
import dev.millrace.io.reference.ReferenceFiles;
import dev.millrace.model.reference.Patient;
import dev.millrace.model.reference.PatientRegistry;
import dev.millrace.model.reference.PatientRegistryCoder;
import java.math.BigDecimal;
import java.util.List;
import org.joda.time.Instant;

/**
 * The patient registry (patient-monitoring's reference table): JSON lines or Parquet on any Beam
 * filesystem, one row per patient: {@code patient_id}, {@code caregiver} (non-empty strings), {@code
 * home_lat} (-90..90), {@code home_lon} (-180..180), {@code safe_radius_m} (>= 0), {@code max_heart_rate}
 * (a number). All or nothing, as every reference table.
 */
public final class PatientRegistries {
  public static final String NAME = "patients";

  private PatientRegistries() {}

  public static PatientRegistry load(String filepattern) throws ReferenceDataException {
    List<Patient> rows =
        ReferenceFiles.read(filepattern, "patient registry", PatientRegistries::patient, Patient::patientId);
    return PatientRegistry.of(rows, filepattern, Instant.now());
  }

  static Patient patient(ReferenceFiles.Fields fields) {
    String id = ReferenceFiles.text(fields, "patient_id", true);
    double lat = within(fields, "home_lat", -90, 90);
    double lon = within(fields, "home_lon", -180, 180);
    double radius = within(fields, "safe_radius_m", 0, Double.MAX_VALUE);
    BigDecimal maxHeartRate = ReferenceFiles.decimal(fields, "max_heart_rate");
    return new Patient(id, lat, lon, radius, maxHeartRate, ReferenceFiles.text(fields, "caregiver", true));
  }

  private static double within(ReferenceFiles.Fields fields, String field, double min, double max) {
    double value = ReferenceFiles.decimal(fields, field).doubleValue();
    if (value < min || value > max) {
      throw new IllegalArgumentException("field '" + field + "' must be in " + min + ".." + max + ", but was " + value);
    }
    return value;
  }

  /** Read once (bounded) or, {@code withRefresh}, reloaded when the files change. */
  public static ReferenceDataIO<PatientRegistry> fromFiles(String filepattern) {
    return ReferenceDataIO.fromFiles(NAME, filepattern, PatientRegistries::load, PatientRegistry::size,
        PatientRegistryCoder.of());
  }

  /** A registry made in memory (the synthetic generator's), described as {@code description}. */
  public static ReferenceDataIO<PatientRegistry> of(ReferenceDataIO.Maker<PatientRegistry> registry,
      String description) {
    return ReferenceDataIO.made(NAME, description, registry, PatientRegistry::size, PatientRegistryCoder.of());
  }
}
