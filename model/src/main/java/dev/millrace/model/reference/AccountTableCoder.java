package dev.millrace.model.reference;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/**
 * A compact coder for a whole {@link AccountTable} (the side input's one element): the accounts'
 * fields in order, with the few distinct mcc, country and tier strings shared on decode so a table
 * of a million accounts does not hold a million copies of each.
 */
public final class AccountTableCoder extends AtomicCoder<AccountTable> {
  private static final AccountTableCoder INSTANCE = new AccountTableCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final NullableCoder<String> OPTIONAL_STRING = NullableCoder.of(StringUtf8Coder.of());
  private static final DoubleCoder DOUBLE = DoubleCoder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final VarIntCoder INT = VarIntCoder.of();

  public static AccountTableCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(AccountTable table, OutputStream out) throws IOException {
    STRING.encode(table.source(), out);
    LONG.encode(table.loadedAt().getMillis(), out);
    INT.encode(table.size(), out);
    for (Account a : table.accounts()) {
      STRING.encode(a.accountId(), out);
      STRING.encode(a.homeCountry(), out);
      DOUBLE.encode(a.avgAmount90d(), out);
      DOUBLE.encode(a.stddevAmount90d(), out);
      LONG.encode(a.txnCount90d(), out);
      INT.encode(a.knownMccs().size(), out);
      for (String mcc : a.knownMccs()) {
        STRING.encode(mcc, out);
      }
      OPTIONAL_STRING.encode(a.openedDate(), out);
      OPTIONAL_STRING.encode(a.riskTier(), out);
    }
  }

  @Override
  public AccountTable decode(InputStream in) throws IOException {
    String source = STRING.decode(in);
    Instant loadedAt = new Instant(LONG.decode(in));
    int size = INT.decode(in);
    Map<String, String> shared = new HashMap<>();
    List<Account> rows = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      String id = STRING.decode(in);
      String country = shared.computeIfAbsent(STRING.decode(in), s -> s);
      double avg = DOUBLE.decode(in);
      double stddev = DOUBLE.decode(in);
      long count = LONG.decode(in);
      int mccCount = INT.decode(in);
      List<String> mccs = new ArrayList<>(mccCount);
      for (int m = 0; m < mccCount; m++) {
        mccs.add(shared.computeIfAbsent(STRING.decode(in), s -> s));
      }
      String opened = OPTIONAL_STRING.decode(in);
      String tier = OPTIONAL_STRING.decode(in);
      rows.add(new Account(id, country, avg, stddev, count, mccs, opened,
          tier == null ? null : shared.computeIfAbsent(tier, s -> s)));
    }
    return AccountTable.of(rows, source, loadedAt);
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    throw new NonDeterministicException(this, "a table's accounts are in hash order");
  }
}
