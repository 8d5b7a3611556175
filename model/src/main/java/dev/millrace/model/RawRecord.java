package dev.millrace.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * One record as it arrived, before parsing: the payload text and where it came from ({@code
 * file:line} or {@code stream/shard/sequence}). Dead letters carry both unmodified.
 */
@DefaultCoder(RawRecord.RawRecordCoder.class)
public record RawRecord(String payload, String source) {

  public RawRecord {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(source, "source");
  }

  public static RawRecord of(String payload, String source) {
    return new RawRecord(payload, source);
  }

  /** A compact coder: records are on the hot path from every source to the parser. */
  public static final class RawRecordCoder extends AtomicCoder<RawRecord> {
    private static final RawRecordCoder INSTANCE = new RawRecordCoder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

    public static RawRecordCoder of() {
      return INSTANCE;
    }

    /** Lets {@code @DefaultCoder} find this coder for {@link RawRecord}. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(RawRecord.class), INSTANCE);
    }

    @Override
    public void encode(RawRecord value, OutputStream out) throws IOException {
      STRING.encode(value.payload(), out);
      STRING.encode(value.source(), out);
    }

    @Override
    public RawRecord decode(InputStream in) throws IOException {
      return new RawRecord(STRING.decode(in), STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
