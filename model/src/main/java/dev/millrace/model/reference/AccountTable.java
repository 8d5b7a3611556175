package dev.millrace.model.reference;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One version of the account data, by {@code account_id}: what a side input holds. Immutable; a
 * reload makes a new table, and the rules see one table or the next, never a mix.
 */
public final class AccountTable implements Serializable {
  private final Map<String, Account> accounts;
  private final String source;
  private final Instant loadedAt;

  private AccountTable(Map<String, Account> accounts, String source, Instant loadedAt) {
    this.accounts = accounts;
    this.source = source;
    this.loadedAt = loadedAt;
  }

  /** A table of the given accounts; a repeated {@code account_id} is an error. */
  public static AccountTable of(Collection<Account> rows, String source, Instant loadedAt) {
    Map<String, Account> byId = new HashMap<>(Math.max(16, rows.size() * 4 / 3 + 1));
    for (Account row : rows) {
      if (byId.putIfAbsent(row.accountId(), row) != null) {
        throw new IllegalArgumentException("account_id '" + row.accountId() + "' appears more than once");
      }
    }
    return new AccountTable(Collections.unmodifiableMap(byId), Objects.requireNonNull(source), loadedAt);
  }

  public @Nullable Account get(String accountId) {
    return accounts.get(accountId);
  }

  public int size() {
    return accounts.size();
  }

  public Collection<Account> accounts() {
    return accounts.values();
  }

  /** Where the table was read from (a path or glob, or "synthetic"). */
  public String source() {
    return source;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  @Override
  public String toString() {
    return "AccountTable{" + size() + " accounts from " + source + " at " + loadedAt + "}";
  }
}
