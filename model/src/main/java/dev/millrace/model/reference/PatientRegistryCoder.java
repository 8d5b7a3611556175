package dev.millrace.model.reference;

import dev.millrace.model.DecimalCoder;
import dev.millrace.model.reference.ReferenceTableCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** Coders for the patient registry (a side input's value) and its rows. */
public final class PatientRegistryCoder {
  private static final ReferenceTableCoder<Patient, PatientRegistry> INSTANCE =
      ReferenceTableCoder.of(new PatientCoder(), PatientRegistry::of);

  private PatientRegistryCoder() {}

  public static ReferenceTableCoder<Patient, PatientRegistry> of() {
    return INSTANCE;
  }

  static final class PatientCoder extends AtomicCoder<Patient> {
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final DoubleCoder DOUBLE = DoubleCoder.of();
    private static final DecimalCoder DECIMAL = DecimalCoder.of();

    @Override
    public void encode(Patient p, OutputStream out) throws IOException {
      STRING.encode(p.patientId(), out);
      DOUBLE.encode(p.homeLat(), out);
      DOUBLE.encode(p.homeLon(), out);
      DOUBLE.encode(p.safeRadiusM(), out);
      DECIMAL.encode(p.maxHeartRate(), out);
      STRING.encode(p.caregiver(), out);
    }

    @Override
    public Patient decode(InputStream in) throws IOException {
      return new Patient(STRING.decode(in), DOUBLE.decode(in), DOUBLE.decode(in), DOUBLE.decode(in),
          DECIMAL.decode(in), STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
