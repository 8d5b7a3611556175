package dev.millrace.io.accounts;

import dev.millrace.io.reference.ReferenceDataIO;
import dev.millrace.io.synthetic.SyntheticTransactionsConfig;
import dev.millrace.io.synthetic.TransactionGenerator;
import dev.millrace.model.reference.AccountTable;
import dev.millrace.model.reference.AccountTableCoder;

/**
 * The account data as a {@link ReferenceDataIO}: read once (bounded) or reloaded while streaming
 * when its files change, a bad reload keeping the last good table (counted as {@code
 * account_reloads_failed}); until a first table loads, transactions wait for it.
 *
 * <pre>{@code
 * PCollectionView<Iterable<AccountTable>> accounts = p
 *     .apply("ReadAccounts", AccountsIO.fromFiles("s3://bank/accounts/*.parquet").withRefresh(Duration.standardMinutes(10)))
 *     .apply(View.asIterable());
 * }</pre>
 */
public final class AccountsIO {
  public static final String NAME = "account";
  public static final String RELOADS_FAILED = ReferenceDataIO.reloadsFailed(NAME);

  private AccountsIO() {}

  /** JSON lines (optionally compressed) or Parquet files: a path or glob on any Beam filesystem. */
  public static ReferenceDataIO<AccountTable> fromFiles(String filepattern) {
    return ReferenceDataIO.fromFiles(NAME, filepattern, AccountTables::load, AccountTable::size, AccountTableCoder.of());
  }

  /** The account data that matches {@code SyntheticTransactionsIO} with the same config. */
  public static ReferenceDataIO<AccountTable> synthetic(SyntheticTransactionsConfig config) {
    return ReferenceDataIO.made(NAME, "synthetic (" + config.accounts() + " accounts, " + config + ")",
        () -> new TransactionGenerator(config).accounts(), AccountTable::size, AccountTableCoder.of());
  }
}
