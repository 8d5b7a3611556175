package dev.millrace.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.apache.beam.sdk.testing.CoderProperties;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class ReadingCodersTest {
  /** Decimals keep their scale and sign; one beyond a long's range takes the bytes path. */
  static final BigDecimal[] DECIMALS = {
    new BigDecimal("71.25"), new BigDecimal("-0.001"), BigDecimal.ZERO, new BigDecimal("1E+3"),
    new BigDecimal("98.0"), new BigDecimal("123456789012345678901234567890.123456789"),
    new BigDecimal("-98765432109876543210987654321")
  };

  @Test
  void aSensorReadingSurvivesARoundTripWithEveryKindOfDecimal() throws Exception {
    for (BigDecimal d : DECIMALS) {
      SensorReading r = new SensorReading("pump-7", Instant.parse("2026-01-01T00:00:00.123Z"), d,
          d.negate(), d.movePointRight(2));
      CoderProperties.coderDecodeEncodeEqual(SensorReadingCoder.of(), r);
      CoderProperties.coderDeterministic(SensorReadingCoder.of(), r, r);
    }
  }

  @Test
  void aVitalsReadingSurvivesARoundTripWithAndWithoutItsSteps() throws Exception {
    for (BigDecimal d : DECIMALS) {
      for (Integer steps : new Integer[] {null, 0, 12_345, -1}) {
        VitalsReading r = new VitalsReading("p-1", new Instant(-5), 61, d, 52.52, -13.405, steps);
        CoderProperties.coderDecodeEncodeEqual(VitalsReadingCoder.of(), r);
        CoderProperties.coderDeterministic(VitalsReadingCoder.of(), r, r);
      }
    }
    VitalsReading noSteps = new VitalsReading("p-2", new Instant(0), 80, new BigDecimal("97.5"), 0, 0, null);
    VitalsReading decoded = org.apache.beam.sdk.util.CoderUtils.decodeFromByteArray(VitalsReadingCoder.of(),
        org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(VitalsReadingCoder.of(), noSteps));
    assertThat(decoded.steps()).isNull();
    assertThat(decoded.spo2()).isEqualTo(new BigDecimal("97.5"));
  }

  @Test
  void aFrameDecimalIsWhatTheDecimalCoderWouldWrite() throws Exception {
    // Same layout as DecimalCoder, so the two stay one format.
    for (BigDecimal d : DECIMALS) {
      java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
      new FieldFrame.Writer().decimal(d).writeTo(frame);
      byte[] framed = frame.toByteArray();
      byte[] coded = org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(DecimalCoder.of(), d);
      // The frame is its length (one VarInt byte here) and then the decimal's bytes.
      assertThat(java.util.Arrays.copyOfRange(framed, 1, framed.length)).as("%s", d).isEqualTo(coded);
    }
  }
}
