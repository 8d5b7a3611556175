package dev.millrace.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.joda.time.Instant;

/**
 * A compact coder for {@link AccessLogEntry}: its fields in order in one {@link FieldFrame}, no schema
 * row in between. Every parsed request crosses log-analytics' shuffles (once per consumer, and the
 * session sort); with the schema coder a Beam Row was built and read back reflectively each time.
 */
public final class AccessLogEntryCoder extends AtomicCoder<AccessLogEntry> {
  private static final AccessLogEntryCoder INSTANCE = new AccessLogEntryCoder();

  public static AccessLogEntryCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(AccessLogEntry e, OutputStream out) throws IOException {
    FieldFrame.Writer frame = new FieldFrame.Writer()
        .string(e.getIp())
        .varLong(e.getEventTime().getMillis())
        .nullableString(e.getMethod())
        .nullableString(e.getPath())
        .nullableString(e.getQuery())
        .nullableString(e.getProtocol())
        .varInt(e.getStatus())
        .varLong(e.getBytes())
        .nullableString(e.getReferrer())
        .nullableString(e.getUserAgent());
    frame.present(e.isBot());
    frame.writeTo(out);
  }

  @Override
  public AccessLogEntry decode(InputStream in) throws IOException {
    FieldFrame.Reader frame = FieldFrame.Reader.readFrom(in);
    return AccessLogEntry.builder()
        .setIp(frame.string())
        .setEventTime(new Instant(frame.varLong()))
        .setMethod(frame.nullableString())
        .setPath(frame.nullableString())
        .setQuery(frame.nullableString())
        .setProtocol(frame.nullableString())
        .setStatus(frame.varInt())
        .setBytes(frame.varLong())
        .setReferrer(frame.nullableString())
        .setUserAgent(frame.nullableString())
        .setBot(frame.present())
        .build();
  }

  @Override
  public void verifyDeterministic() {}
}
