package dev.millrace.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/** A compact coder for {@link SensorReading}: its fields in order. */
public final class SensorReadingCoder extends AtomicCoder<SensorReading> {
  private static final SensorReadingCoder INSTANCE = new SensorReadingCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final DecimalCoder DECIMAL = DecimalCoder.of();

  public static SensorReadingCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(SensorReading r, OutputStream out) throws IOException {
    STRING.encode(r.deviceId(), out);
    LONG.encode(r.eventTime().getMillis(), out);
    DECIMAL.encode(r.temperatureC(), out);
    DECIMAL.encode(r.vibrationMmS(), out);
    DECIMAL.encode(r.rpm(), out);
  }

  @Override
  public SensorReading decode(InputStream in) throws IOException {
    return new SensorReading(STRING.decode(in), new Instant(LONG.decode(in)), DECIMAL.decode(in),
        DECIMAL.decode(in), DECIMAL.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
