package dev.millrace.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.joda.time.Instant;

/**
 * A compact coder for {@link Transaction}: its fields in order, as one {@link FieldFrame} (it is
 * kept in per-card state and crosses every shuffle of fraud-detection).
 */
public final class TransactionCoder extends AtomicCoder<Transaction> {
  private static final TransactionCoder INSTANCE = new TransactionCoder();

  public static TransactionCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Transaction t, OutputStream out) throws IOException {
    write(t, new FieldFrame.Writer()).writeTo(out);
  }

  @Override
  public Transaction decode(InputStream in) throws IOException {
    return read(FieldFrame.Reader.readFrom(in));
  }

  /** The transaction's fields into {@code frame}, for coders of records that hold one. */
  public static FieldFrame.Writer write(Transaction t, FieldFrame.Writer frame) {
    return frame
        .string(t.txnId())
        .varLong(t.eventTime().getMillis())
        .string(t.accountId())
        .string(t.cardId())
        .string(t.merchantId())
        .string(t.mcc())
        .float64(t.amount())
        .string(t.currency())
        .string(t.country())
        .string(t.channel());
  }

  /** A transaction's fields as {@link #write} put them. */
  public static Transaction read(FieldFrame.Reader frame) throws IOException {
    return new Transaction(
        frame.string(),
        new Instant(frame.varLong()),
        frame.string(),
        frame.string(),
        frame.string(),
        frame.string(),
        frame.float64(),
        frame.string(),
        frame.string(),
        frame.string());
  }

  @Override
  public void verifyDeterministic() {}
}
