package dev.millrace.pipelines.patients;

import dev.millrace.model.VitalsReading;
import dev.millrace.model.VitalsReadingCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.DoubleCoder;

/** A reading with its distance from the patient's home and whether that is within the safe radius. */
record LocatedVitals(VitalsReading reading, double distanceM, boolean inside) implements Serializable {

  BigDecimal heartRate() {
    return BigDecimal.valueOf(reading.heartRate());
  }

  BigDecimal spo2() {
    return reading.spo2();
  }

  /** The distance as a decimal that converts back to exactly the same double (for the window maximum). */
  BigDecimal distance() {
    return BigDecimal.valueOf(distanceM);
  }

  static final class Coder extends AtomicCoder<LocatedVitals> {
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(LocatedVitals v, OutputStream out) throws IOException {
      VitalsReadingCoder.of().encode(v.reading(), out);
      DoubleCoder.of().encode(v.distanceM(), out);
      BooleanCoder.of().encode(v.inside(), out);
    }

    @Override
    public LocatedVitals decode(InputStream in) throws IOException {
      return new LocatedVitals(VitalsReadingCoder.of().decode(in), DoubleCoder.of().decode(in),
          BooleanCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
