package dev.millrace.transforms.fraud;

import dev.millrace.model.FieldFrame;
import dev.millrace.model.TransactionCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;

/** A compact coder for {@link ScoredTransaction}: its transaction and verdict as one {@link FieldFrame}. */
public final class ScoredTransactionCoder extends AtomicCoder<ScoredTransaction> {
  private static final ScoredTransactionCoder INSTANCE = new ScoredTransactionCoder();

  public static ScoredTransactionCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ScoredTransaction s, OutputStream out) throws IOException {
    FieldFrame.Writer frame = TransactionCoder.write(s.transaction(), new FieldFrame.Writer())
        .varInt(s.recentOnCard())
        .varInt(s.reasons().size());
    for (String reason : s.reasons()) {
      frame.string(reason);
    }
    frame.nullableString(s.riskTier()).writeTo(out);
  }

  @Override
  public ScoredTransaction decode(InputStream in) throws IOException {
    FieldFrame.Reader frame = FieldFrame.Reader.readFrom(in);
    var transaction = TransactionCoder.read(frame);
    int recent = frame.varInt();
    int n = frame.varInt();
    List<String> reasons = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      reasons.add(frame.string());
    }
    return new ScoredTransaction(transaction, recent, reasons, frame.nullableString());
  }

  @Override
  public void verifyDeterministic() {}
}
