package dev.millrace.io.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.transforms.fraud.Account;
import dev.millrace.transforms.fraud.AccountTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Reads the account data (the fraud rules' reference table) from JSON lines (optionally
 * compressed, by extension) or Parquet files on any Beam filesystem. All or nothing: a table with
 * any bad row is refused as a whole, with the first problems and where they are, because a partial
 * table would flag every missing account as {@code unknown_account}.
 */
public final class AccountTables {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}");
  private static final Pattern MCC = Pattern.compile("[0-9]{4}");
  private static final int PROBLEMS_SHOWN = 5;

  private AccountTables() {}

  /** The files a pattern matches now, with their sizes and modification times: what a reload compares. */
  public static List<String> fingerprint(String filepattern) throws IOException {
    List<String> parts = new ArrayList<>();
    for (MatchResult.Metadata file : match(filepattern)) {
      parts.add(file.resourceId() + ":" + file.sizeBytes() + ":" + file.lastModifiedMillis());
    }
    return parts;
  }

  public static AccountTable load(String filepattern) throws AccountDataException {
    List<MatchResult.Metadata> files;
    try {
      files = match(filepattern);
    } catch (IOException e) {
      throw new AccountDataException("account data " + filepattern + ": cannot list files: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new AccountDataException("account data " + filepattern + ": no file matches");
    }
    List<Account> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int problemCount = 0;
    for (MatchResult.Metadata file : files) {
      String name = file.resourceId().toString();
      try {
        problemCount += name.endsWith(".parquet") ? readParquet(file, rows, problems) : readJsonLines(file, rows, problems);
      } catch (IOException | RuntimeException e) {
        throw new AccountDataException("account data " + name + ": cannot read: " + e, e);
      }
    }
    Set<String> ids = new HashSet<>();
    for (Account row : rows) {
      if (!ids.add(row.accountId())) {
        problemCount++;
        note(problems, "account_id '" + row.accountId() + "' appears more than once");
      }
    }
    if (problemCount > 0) {
      throw new AccountDataException("account data " + filepattern + ": " + problemCount + " bad row(s), the table is "
          + "not used; first: " + String.join("; ", problems));
    }
    return AccountTable.of(rows, filepattern, Instant.now());
  }

  private static List<MatchResult.Metadata> match(String filepattern) throws IOException {
    List<MatchResult.Metadata> files = new ArrayList<>(
        FileSystems.match(filepattern, EmptyMatchTreatment.ALLOW).metadata());
    // Markers and hidden files (_SUCCESS, .crc) are not data.
    files.removeIf(f -> {
      String file = f.resourceId().getFilename();
      return file == null || file.startsWith("_") || file.startsWith(".") || f.resourceId().isDirectory();
    });
    files.sort((a, b) -> a.resourceId().toString().compareTo(b.resourceId().toString()));
    return files;
  }

  private static int readJsonLines(MatchResult.Metadata file, List<Account> rows, List<String> problems)
      throws IOException {
    String name = file.resourceId().toString();
    Compression compression = Compression.detect(name);
    int bad = 0;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(
        Channels.newInputStream(compression.readDecompressed(FileSystems.open(file.resourceId()))),
        StandardCharsets.UTF_8))) {
      String line;
      long number = 0;
      while ((line = lines.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode node = JSON.readTree(line);
          if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
          }
          rows.add(fromFields(node::get));
        } catch (JsonProcessingException e) {
          bad++;
          note(problems, name + ":" + number + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
          bad++;
          note(problems, name + ":" + number + ": " + e.getMessage());
        }
      }
    }
    return bad;
  }

  private static int readParquet(MatchResult.Metadata file, List<Account> rows, List<String> problems)
      throws IOException {
    String name = file.resourceId().toString();
    int bad = 0;
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(new ChannelInputFile(file)).build()) {
      GenericRecord record;
      long number = 0;
      while ((record = reader.read()) != null) {
        number++;
        GenericRecord row = record;
        try {
          rows.add(fromFields(field -> row.hasField(field) ? JSON.valueToTree(plain(row.get(field))) : null));
        } catch (IllegalArgumentException e) {
          bad++;
          note(problems, name + ": row " + number + ": " + e.getMessage());
        }
      }
    }
    return bad;
  }

  /** Avro values as plain Java (Utf8 to String, arrays to lists) for one field-checking path. */
  private static @Nullable Object plain(@Nullable Object value) {
    if (value instanceof Utf8 || value instanceof CharSequence) {
      return value.toString();
    }
    if (value instanceof Collection<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(plain(v)));
      return out;
    }
    if (value instanceof GenericRecord record && record.getSchema().getFields().size() == 1) {
      // Parquet's 3-level lists can come back as records of one element.
      return plain(record.get(0));
    }
    return value;
  }

  interface Fields {
    @Nullable JsonNode get(String field);
  }

  /** One row from its fields, checked: account_id, home_country, the 90-day figures and known_mccs. */
  static Account fromFields(Fields fields) {
    String id = text(fields, "account_id", true);
    String country = text(fields, "home_country", true);
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
    String tier = text(fields, "risk_tier", false);
    return new Account(id, country.toUpperCase(Locale.ROOT).intern(), avg, stddev, txnCount, known,
        text(fields, "opened_date", false), tier == null ? null : tier.intern());
  }

  private static @Nullable String text(Fields fields, String field, boolean required) {
    JsonNode node = fields.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw new IllegalArgumentException("required field '" + field + "' is missing");
      }
      return null;
    }
    if (!node.isTextual() || (required && node.textValue().isBlank())) {
      throw new IllegalArgumentException("field '" + field + "' must be a non-empty string, but was " + node);
    }
    return node.textValue();
  }

  private static double number(Fields fields, String field) {
    JsonNode node = fields.get(field);
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("required field '" + field + "' is missing");
    }
    if (!node.isNumber() || !Double.isFinite(node.asDouble()) || node.asDouble() < 0) {
      throw new IllegalArgumentException("field '" + field + "' must be a number >= 0, but was " + node);
    }
    return node.asDouble();
  }

  private static void note(List<String> problems, String problem) {
    if (problems.size() < PROBLEMS_SHOWN) {
      problems.add(problem);
    }
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
