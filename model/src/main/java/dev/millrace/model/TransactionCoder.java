package dev.millrace.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/** A compact coder for {@link Transaction}: its fields in order (it is kept in per-card state). */
public final class TransactionCoder extends AtomicCoder<Transaction> {
  private static final TransactionCoder INSTANCE = new TransactionCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();

  public static TransactionCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Transaction t, OutputStream out) throws IOException {
    STRING.encode(t.txnId(), out);
    LONG.encode(t.eventTime().getMillis(), out);
    STRING.encode(t.accountId(), out);
    STRING.encode(t.cardId(), out);
    STRING.encode(t.merchantId(), out);
    STRING.encode(t.mcc(), out);
    DOUBLE.encode(t.amount(), out);
    STRING.encode(t.currency(), out);
    STRING.encode(t.country(), out);
    STRING.encode(t.channel(), out);
  }

  @Override
  public Transaction decode(InputStream in) throws IOException {
    return new Transaction(
        STRING.decode(in),
        new Instant(LONG.decode(in)),
        STRING.decode(in),
        STRING.decode(in),
        STRING.decode(in),
        STRING.decode(in),
        DOUBLE.decode(in),
        STRING.decode(in),
        STRING.decode(in),
        STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
