package dev.millrace.transforms.fraud;

import dev.millrace.model.TransactionCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/** A compact coder for {@link ScoredTransaction}. */
public final class ScoredTransactionCoder extends AtomicCoder<ScoredTransaction> {
  private static final ScoredTransactionCoder INSTANCE = new ScoredTransactionCoder();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final NullableCoder<String> OPTIONAL_STRING = NullableCoder.of(StringUtf8Coder.of());

  public static ScoredTransactionCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ScoredTransaction s, OutputStream out) throws IOException {
    TransactionCoder.of().encode(s.transaction(), out);
    INT.encode(s.recentOnCard(), out);
    INT.encode(s.reasons().size(), out);
    for (String reason : s.reasons()) {
      STRING.encode(reason, out);
    }
    OPTIONAL_STRING.encode(s.riskTier(), out);
  }

  @Override
  public ScoredTransaction decode(InputStream in) throws IOException {
    var transaction = TransactionCoder.of().decode(in);
    int recent = INT.decode(in);
    int n = INT.decode(in);
    List<String> reasons = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      reasons.add(STRING.decode(in));
    }
    return new ScoredTransaction(transaction, recent, reasons, OPTIONAL_STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
