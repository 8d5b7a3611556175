package dev.millrace.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.joda.time.Instant;

/**
 * A compact coder for {@link SensorReading}: its fields in order, as one {@link FieldFrame} (field by
 * field, each decimal's VarInts went through the runner's stream wrapper a byte at a time: a tenth of
 * predictive-maintenance's samples on Flink were that wrapper and the decimal coder).
 */
public final class SensorReadingCoder extends AtomicCoder<SensorReading> {
  private static final SensorReadingCoder INSTANCE = new SensorReadingCoder();

  public static SensorReadingCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(SensorReading r, OutputStream out) throws IOException {
    new FieldFrame.Writer()
        .string(r.deviceId())
        .varLong(r.eventTime().getMillis())
        .decimal(r.temperatureC())
        .decimal(r.vibrationMmS())
        .decimal(r.rpm())
        .writeTo(out);
  }

  @Override
  public SensorReading decode(InputStream in) throws IOException {
    FieldFrame.Reader frame = FieldFrame.Reader.readFrom(in);
    return new SensorReading(frame.string(), new Instant(frame.varLong()), frame.decimal(), frame.decimal(),
        frame.decimal());
  }

  @Override
  public void verifyDeterministic() {}
}
