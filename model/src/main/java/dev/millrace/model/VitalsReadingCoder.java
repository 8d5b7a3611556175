package dev.millrace.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/** A compact coder for {@link VitalsReading}: its fields in order. */
public final class VitalsReadingCoder extends AtomicCoder<VitalsReading> {
  private static final VitalsReadingCoder INSTANCE = new VitalsReadingCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final NullableCoder<Integer> OPTIONAL_INT = NullableCoder.of(VarIntCoder.of());
  private static final DoubleCoder DOUBLE = DoubleCoder.of();
  private static final DecimalCoder DECIMAL = DecimalCoder.of();

  public static VitalsReadingCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(VitalsReading r, OutputStream out) throws IOException {
    STRING.encode(r.patientId(), out);
    LONG.encode(r.eventTime().getMillis(), out);
    INT.encode(r.heartRate(), out);
    DECIMAL.encode(r.spo2(), out);
    DOUBLE.encode(r.lat(), out);
    DOUBLE.encode(r.lon(), out);
    OPTIONAL_INT.encode(r.steps(), out);
  }

  @Override
  public VitalsReading decode(InputStream in) throws IOException {
    return new VitalsReading(STRING.decode(in), new Instant(LONG.decode(in)), INT.decode(in), DECIMAL.decode(in),
        DOUBLE.decode(in), DOUBLE.decode(in), OPTIONAL_INT.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
