package dev.millrace.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A compact coder for {@link ClickEvent}: its fields in order, no schema row in between. Every
 * parsed event crosses the de-duplication and windowing shuffles with it; the schema coder built a
 * Beam Row per element there (seen in the Flink profile: RowWithGetters, encode/decode).
 */
public final class ClickEventCoder extends AtomicCoder<ClickEvent> {
  private static final ClickEventCoder INSTANCE = new ClickEventCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final NullableCoder<String> OPTIONAL_STRING = NullableCoder.of(StringUtf8Coder.of());
  private static final NullableCoder<Double> OPTIONAL_DOUBLE = NullableCoder.of(DoubleCoder.of());
  private static final VarLongCoder LONG = VarLongCoder.of();

  public static ClickEventCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ClickEvent e, OutputStream out) throws IOException {
    STRING.encode(e.getEventId(), out);
    LONG.encode(e.getEventTime().getMillis(), out);
    STRING.encode(e.getUserId(), out);
    STRING.encode(e.getPage(), out);
    STRING.encode(e.getAction(), out);
    OPTIONAL_DOUBLE.encode(e.getAmount(), out);
    OPTIONAL_STRING.encode(e.getSessionId(), out);
    OPTIONAL_STRING.encode(e.getCountry(), out);
    OPTIONAL_STRING.encode(e.getUserAgent(), out);
    OPTIONAL_STRING.encode(e.getReferrer(), out);
  }

  @Override
  public ClickEvent decode(InputStream in) throws IOException {
    return ClickEvent.builder()
        .setEventId(STRING.decode(in))
        .setEventTime(new Instant(LONG.decode(in)))
        .setUserId(STRING.decode(in))
        .setPage(STRING.decode(in))
        .setAction(STRING.decode(in))
        .setAmount(OPTIONAL_DOUBLE.decode(in))
        .setSessionId(nullable(OPTIONAL_STRING.decode(in)))
        .setCountry(nullable(OPTIONAL_STRING.decode(in)))
        .setUserAgent(nullable(OPTIONAL_STRING.decode(in)))
        .setReferrer(nullable(OPTIONAL_STRING.decode(in)))
        .build();
  }

  private static @Nullable String nullable(@Nullable String s) {
    return s;
  }

  @Override
  public void verifyDeterministic() {}
}
