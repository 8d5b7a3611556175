package dev.millrace.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class FieldFrameTest {
  @Test
  void everyKindOfFieldReadsBackAsWrittenAndFramesEndWhereTheyShould() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String long1k = "x".repeat(1000);
    new FieldFrame.Writer()
        .string("").string("straße ✓ 😀").string(long1k)
        .string("straße").string("\u0141ódź").string("id-42\u0080")
        .nullableString(null).nullableString("n")
        .varLong(0).varLong(-1).varLong(Long.MAX_VALUE).varLong(Long.MIN_VALUE)
        .varInt(-7).varInt(Integer.MAX_VALUE).varInt(300)
        .float64(-0.0).float64(Double.NaN).float64(19.99).nullableFloat64(null).nullableFloat64(1e300)
        .writeTo(out);
    new FieldFrame.Writer().string("second").writeTo(out);
    out.write(42);

    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    FieldFrame.Reader first = FieldFrame.Reader.readFrom(in);
    assertThat(first.string()).isEmpty();
    assertThat(first.string()).isEqualTo("straße ✓ 😀");
    assertThat(first.string()).isEqualTo(long1k);
    // The writer's ASCII path must not take these: Latin-1 only, a char whose low byte is ASCII
    // ('\u0141', 0x41 low), the first non-ASCII char last.
    assertThat(first.string()).isEqualTo("straße");
    assertThat(first.string()).isEqualTo("\u0141ódź");
    assertThat(first.string()).isEqualTo("id-42\u0080");
    assertThat(first.nullableString()).isNull();
    assertThat(first.nullableString()).isEqualTo("n");
    assertThat(first.varLong()).isZero();
    assertThat(first.varLong()).isEqualTo(-1);
    assertThat(first.varLong()).isEqualTo(Long.MAX_VALUE);
    assertThat(first.varLong()).isEqualTo(Long.MIN_VALUE);
    assertThat(first.varInt()).isEqualTo(-7);
    assertThat(first.varInt()).isEqualTo(Integer.MAX_VALUE);
    assertThat(first.varInt()).isEqualTo(300);
    assertThat(Double.doubleToRawLongBits(first.float64())).isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(first.float64()).isNaN();
    assertThat(first.float64()).isEqualTo(19.99);
    assertThat(first.nullableFloat64()).isNull();
    assertThat(first.nullableFloat64()).isEqualTo(1e300);
    // The frame holds exactly what was written: reading on is an error, not the next frame's bytes.
    assertThatThrownBy(first::present).isInstanceOf(EOFException.class);
    assertThat(FieldFrame.Reader.readFrom(in).string()).isEqualTo("second");
    assertThat(in.read()).isEqualTo(42);
  }

  @Test
  void aTruncatedFrameIsAnErrorNotAShortRecord() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new FieldFrame.Writer().string("abcdef").writeTo(out);
    byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() - 2);
    assertThatThrownBy(() -> FieldFrame.Reader.readFrom(new ByteArrayInputStream(cut)))
        .isInstanceOf(EOFException.class).hasMessageContaining("ended after");
  }

  @Test
  void transactionsSurviveTheirCoder() throws Exception {
    Coder<Transaction> coder = TransactionCoder.of();
    for (Transaction t : new Transaction[] {
        new Transaction("t-1", Instant.parse("2026-01-01T00:00:00.123Z"), "a", "c", "m", "5411", 12.34, "EUR", "DE", "pos"),
        new Transaction("", new Instant(-5), "", "", "", "", -0.5, "", "", "")}) {
      CoderProperties.coderDecodeEncodeEqual(coder, t);
      CoderProperties.coderDeterministic(coder, t, t);
    }
  }
}
