package dev.millrace.io.accounts;

import dev.millrace.io.reference.ReferenceDataException;
import dev.millrace.io.reference.ReferenceDataIO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.io.synthetic.SyntheticTransactionsConfig;
import dev.millrace.io.synthetic.TransactionGenerator;
import dev.millrace.model.reference.Account;
import dev.millrace.model.reference.AccountTable;
import dev.millrace.model.reference.AccountTableCoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountTablesTest {
  static final TransactionGenerator GENERATOR =
      new TransactionGenerator(SyntheticTransactionsConfig.defaults().withAccounts(300));

  static Map<String, Account> byId(AccountTable table) {
    Map<String, Account> rows = new TreeMap<>();
    table.accounts().forEach(a -> rows.put(a.accountId(), a));
    return rows;
  }

  static Path jsonLines(Path dir, String name, List<String> lines) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, lines);
    return file;
  }

  @Test
  void jsonLinesGzipAndParquetGiveTheSameTable(@TempDir Path dir) throws Exception {
    AccountTable generated = GENERATOR.accounts();
    List<String> lines = AccountTables.toJsonLines(generated);
    Path json = jsonLines(dir, "accounts.jsonl", lines);
    Path gz = dir.resolve("gz/accounts.jsonl.gz");
    Files.createDirectories(gz.getParent());
    try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(String.join("\n", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Path parquet = dir.resolve("pq/part-0.parquet");
    writeParquet(parquet, generated);

    assertThat(byId(AccountTables.load(json.toString()))).isEqualTo(byId(generated));
    assertThat(byId(AccountTables.load(gz.toString()))).isEqualTo(byId(generated));
    assertThat(byId(AccountTables.load(dir.resolve("pq") + "/*.parquet"))).isEqualTo(byId(generated));
  }

  @Test
  void aTableWithABadRowIsRefusedWithWhereAndWhy(@TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>(AccountTables.toJsonLines(GENERATOR.accounts()).subList(0, 5));
    lines.add(2, "{\"account_id\":\"acct-bad\",\"home_country\":\"Germany\",\"avg_amount_90d\":1,"
        + "\"stddev_amount_90d\":1,\"known_mccs\":[]}");
    lines.add("{not json");
    lines.add(lines.get(0));
    Path file = jsonLines(dir, "accounts.jsonl", lines);
    assertThatThrownBy(() -> AccountTables.load(file.toString()))
        .isInstanceOf(ReferenceDataException.class)
        .hasMessageContaining("3 bad row(s)")
        .hasMessageContaining("accounts.jsonl:3: home_country must be 2 letters")
        .hasMessageContaining("accounts.jsonl:7: not valid JSON")
        .hasMessageContaining("appears more than once");
    assertThatThrownBy(() -> AccountTables.load(dir.resolve("nothing-*.jsonl").toString()))
        .isInstanceOf(ReferenceDataException.class).hasMessageContaining("no file matches");
  }

  @Test
  void aMillionAccountTableCodesCompactly() throws Exception {
    AccountTable table = new TransactionGenerator(SyntheticTransactionsConfig.defaults().withAccounts(20_000)).accounts();
    byte[] encoded = CoderUtils.encodeToByteArray(AccountTableCoder.of(), table);
    AccountTable decoded = CoderUtils.decodeFromByteArray(AccountTableCoder.of(), encoded);
    assertThat(byId(decoded)).isEqualTo(byId(table));
    // About 80 bytes per account on the wire.
    assertThat(encoded.length / 20_000).isLessThan(100);
  }

  /**
   * A streaming reload: a good table is emitted once, an unchanged one is not emitted again, a bad
   * one keeps the last good (nothing emitted), a fixed one is emitted.
   */
  @Test
  void aBadReloadKeepsTheLastGoodTable(@TempDir Path dir) throws Exception {
    List<String> good = AccountTables.toJsonLines(GENERATOR.accounts());
    Path file = jsonLines(dir, "accounts.jsonl", good);
    ReferenceDataIO.ReloadFn<AccountTable> reload = new ReferenceDataIO.ReloadFn<>(AccountsIO.NAME,
        ReferenceDataIO.files(file.toString(), AccountTables::load, AccountTable::size));
    List<AccountTable> emitted = new ArrayList<>();
    // What each tick emits (null: nothing, the side input keeps its last table).
    Runnable tick = () -> {
      AccountTable table = reload.reloadIfChanged(Instant.now());
      if (table != null) {
        emitted.add(table);
      }
    };
    tick.run();
    assertThat(emitted).hasSize(1);
    tick.run();
    assertThat(emitted).as("unchanged files are not reloaded").hasSize(1);

    List<String> broken = new ArrayList<>(good);
    broken.set(10, "{\"account_id\":\"acct-0000011\"}");
    Files.write(file, broken);
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    tick.run();
    assertThat(emitted).as("a bad reload emits nothing: the side input keeps the last good table").hasSize(1);

    List<String> changed = new ArrayList<>(good);
    changed.remove(0);
    Files.write(file, changed);
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10_000));
    tick.run();
    assertThat(emitted).hasSize(2);
    assertThat(emitted.get(1).size()).isEqualTo(good.size() - 1);
  }

  @SuppressWarnings("deprecation") // the Hadoop path builder: parquet 1.13 has no local OutputFile
  static void writeParquet(Path file, AccountTable table) throws IOException {
    Files.createDirectories(file.getParent());
    Schema schema = SchemaBuilder.record("account").fields()
        .requiredString("account_id").requiredString("home_country")
        .requiredDouble("avg_amount_90d").requiredDouble("stddev_amount_90d").requiredLong("txn_count_90d")
        .name("known_mccs").type().array().items().stringType().noDefault()
        .optionalString("opened_date").optionalString("risk_tier").endRecord();
    try (ParquetWriter<GenericRecord> writer =
        AvroParquetWriter.<GenericRecord>builder(new org.apache.hadoop.fs.Path(file.toUri())).withSchema(schema).build()) {
      for (Account a : table.accounts()) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("account_id", a.accountId());
        r.put("home_country", a.homeCountry());
        r.put("avg_amount_90d", a.avgAmount90d());
        r.put("stddev_amount_90d", a.stddevAmount90d());
        r.put("txn_count_90d", a.txnCount90d());
        r.put("known_mccs", a.knownMccs());
        r.put("opened_date", a.openedDate());
        r.put("risk_tier", a.riskTier());
        writer.write(r);
      }
    }
  }
}
