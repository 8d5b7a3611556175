package dev.millrace.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * A compact coder for exact decimals on the hot path (every reading's measures, every window
 * accumulator): the scale and, when it fits, the unscaled value as var-ints; a larger one as its bytes.
 * Beam's {@code BigDecimalCoder} formats an error message string on every encode, which a profile of
 * the DirectRunner showed as its top cost.
 */
public final class DecimalCoder extends AtomicCoder<BigDecimal> {
  private static final DecimalCoder INSTANCE = new DecimalCoder();
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

  public static DecimalCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(BigDecimal value, OutputStream out) throws IOException {
    BigInteger unscaled = value.unscaledValue();
    // Scale shifted left one bit: the low bit says whether the unscaled value follows as a var-long.
    long scale = value.scale();
    if (unscaled.bitLength() < 63) {
      VarInt.encode(scale << 1, out);
      VarInt.encode(zigZag(unscaled.longValue()), out);
    } else {
      VarInt.encode((scale << 1) | 1, out);
      BYTES.encode(unscaled.toByteArray(), out);
    }
  }

  @Override
  public BigDecimal decode(InputStream in) throws IOException {
    long head = VarInt.decodeLong(in);
    int scale = (int) (head >> 1);
    if ((head & 1) == 0) {
      return BigDecimal.valueOf(unZigZag(VarInt.decodeLong(in)), scale);
    }
    return new BigDecimal(new BigInteger(BYTES.decode(in)), scale);
  }

  private static long zigZag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static long unZigZag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  @Override
  public void verifyDeterministic() {}
}
