package dev.millrace.transforms.sensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import dev.millrace.transforms.model.DecimalCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/** A compact coder for a whole {@link PatientRegistry} (the side input's value). */
public final class PatientRegistryCoder extends AtomicCoder<PatientRegistry> {
  private static final PatientRegistryCoder INSTANCE = new PatientRegistryCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();
  private static final DecimalCoder DECIMAL = DecimalCoder.of();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();

  public static PatientRegistryCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(PatientRegistry registry, OutputStream out) throws IOException {
    STRING.encode(registry.source(), out);
    LONG.encode(registry.loadedAt().getMillis(), out);
    INT.encode(registry.size(), out);
    for (Patient p : registry.patients()) {
      STRING.encode(p.patientId(), out);
      DOUBLE.encode(p.homeLat(), out);
      DOUBLE.encode(p.homeLon(), out);
      DOUBLE.encode(p.safeRadiusM(), out);
      DECIMAL.encode(p.maxHeartRate(), out);
      STRING.encode(p.caregiver(), out);
    }
  }

  @Override
  public PatientRegistry decode(InputStream in) throws IOException {
    String source = STRING.decode(in);
    Instant loadedAt = new Instant(LONG.decode(in));
    int size = INT.decode(in);
    List<Patient> patients = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      patients.add(new Patient(STRING.decode(in), DOUBLE.decode(in), DOUBLE.decode(in), DOUBLE.decode(in),
          DECIMAL.decode(in), STRING.decode(in)));
    }
    return PatientRegistry.of(patients, source, loadedAt);
  }

  @Override
  public void verifyDeterministic() {}
}
