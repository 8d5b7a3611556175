package dev.millrace.io.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.io.reference.ReferenceDataException;
import dev.millrace.io.reference.ReferenceFiles;
import dev.millrace.model.reference.Account;
import dev.millrace.model.reference.AccountTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.joda.time.Instant;

/**
 * Reads the account data (the fraud rules' reference table) from JSON lines (optionally
 * compressed, by extension) or Parquet files on any Beam filesystem, through {@link ReferenceFiles}.
 * All or nothing: a table with any bad row is refused as a whole, with the first problems and where
 * they are, because a partial table would flag every missing account as {@code unknown_account}.
 */
public final class AccountTables {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}");
  private static final Pattern MCC = Pattern.compile("[0-9]{4}");

  private AccountTables() {}

  public static AccountTable load(String filepattern) throws ReferenceDataException {
    List<Account> rows = ReferenceFiles.read(filepattern, "account data", AccountTables::fromFields, Account::accountId);
    return AccountTable.of(rows, filepattern, Instant.now());
  }

  /** One row from its fields, checked: account_id, home_country, the 90-day figures and known_mccs. */
  static Account fromFields(ReferenceFiles.Fields fields) {
    String id = ReferenceFiles.text(fields, "account_id", true);
    String country = ReferenceFiles.text(fields, "home_country", true);
    if (!COUNTRY.matcher(country).matches()) {
      throw new IllegalArgumentException("home_country must be 2 letters, but was '" + country + "'");
    }
    double avg = number(fields, "avg_amount_90d");
    double stddev = number(fields, "stddev_amount_90d");
    JsonNode count = fields.get("txn_count_90d");
    long txnCount = 0;
    if (count != null && !count.isNull()) {
      if (!count.canConvertToLong() || !count.isIntegralNumber() || count.asLong() < 0) {
        throw new IllegalArgumentException("txn_count_90d must be a whole number >= 0, but was " + count);
      }
      txnCount = count.asLong();
    }
    JsonNode mccs = fields.get("known_mccs");
    if (mccs == null || !mccs.isArray()) {
      throw new IllegalArgumentException("known_mccs must be a list of 4-digit strings");
    }
    List<String> known = new ArrayList<>();
    for (JsonNode mcc : mccs) {
      if (!mcc.isTextual() || !MCC.matcher(mcc.textValue()).matches()) {
        throw new IllegalArgumentException("known_mccs must hold 4-digit strings, but had " + mcc);
      }
      known.add(mcc.textValue().intern());
    }
    String tier = ReferenceFiles.text(fields, "risk_tier", false);
    return new Account(id, country.toUpperCase(Locale.ROOT).intern(), avg, stddev, txnCount, known,
        ReferenceFiles.text(fields, "opened_date", false), tier == null ? null : tier.intern());
  }

  private static double number(ReferenceFiles.Fields fields, String field) {
    JsonNode node = fields.get(field);
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("required field '" + field + "' is missing");
    }
    if (!node.isNumber() || !Double.isFinite(node.asDouble()) || node.asDouble() < 0) {
      throw new IllegalArgumentException("field '" + field + "' must be a number >= 0, but was " + node);
    }
    return node.asDouble();
  }

  /** The rows of a table as JSON lines, in account_id order (for writing synthetic account data). */
  public static List<String> toJsonLines(AccountTable table) {
    Map<String, Account> sorted = new java.util.TreeMap<>();
    table.accounts().forEach(a -> sorted.put(a.accountId(), a));
    List<String> lines = new ArrayList<>(sorted.size());
    for (Account a : sorted.values()) {
      Map<String, Object> row = new java.util.LinkedHashMap<>();
      row.put("account_id", a.accountId());
      row.put("home_country", a.homeCountry());
      row.put("avg_amount_90d", a.avgAmount90d());
      row.put("stddev_amount_90d", a.stddevAmount90d());
      row.put("txn_count_90d", a.txnCount90d());
      row.put("known_mccs", a.knownMccs());
      row.put("opened_date", a.openedDate());
      row.put("risk_tier", a.riskTier());
      try {
        lines.add(JSON.writeValueAsString(row));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return lines;
  }

}
