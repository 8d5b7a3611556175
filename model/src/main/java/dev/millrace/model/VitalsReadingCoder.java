package dev.millrace.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.joda.time.Instant;

/** A compact coder for {@link VitalsReading}: its fields in order, as one {@link FieldFrame}. */
public final class VitalsReadingCoder extends AtomicCoder<VitalsReading> {
  private static final VitalsReadingCoder INSTANCE = new VitalsReadingCoder();

  public static VitalsReadingCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(VitalsReading r, OutputStream out) throws IOException {
    new FieldFrame.Writer()
        .string(r.patientId())
        .varLong(r.eventTime().getMillis())
        .varInt(r.heartRate())
        .decimal(r.spo2())
        .float64(r.lat())
        .float64(r.lon())
        .nullableVarInt(r.steps())
        .writeTo(out);
  }

  @Override
  public VitalsReading decode(InputStream in) throws IOException {
    FieldFrame.Reader frame = FieldFrame.Reader.readFrom(in);
    return new VitalsReading(frame.string(), new Instant(frame.varLong()), frame.varInt(), frame.decimal(),
        frame.float64(), frame.float64(), frame.nullableVarInt());
  }

  @Override
  public void verifyDeterministic() {}
}
