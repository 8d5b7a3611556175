package dev.millrace.pipelines.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.io.accounts.AccountTables;
import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.synthetic.SyntheticTransactionsConfig;
import dev.millrace.io.synthetic.TransactionGenerator;
import dev.millrace.pipelines.summary.RunSummary;
import dev.millrace.testing.TemplateRuns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fraud-detection over our own data set (synthetic transactions with every fraud pattern,
 * duplicates and malformed records, plus crafted ones) against an independent computation written
 * here: a plain scan with its own checks and a brute-force velocity count, no pipeline code.
 */
class FraudDetectionTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int POSITIONS = 6_000;

  @TempDir Path dir;

  /** The data set: transactions.jsonl and accounts.jsonl under {@code dir}. */
  static List<String> writeDataSet(Path dir) throws Exception {
    TransactionGenerator generator = new TransactionGenerator(SyntheticTransactionsConfig.defaults()
        .withSeed(7).withEventsPerSecond(20).withAccounts(400).withDuplicateFraction(0.01).withMalformedFraction(0.02));
    List<String> lines = new ArrayList<>();
    for (long n = 0; n < POSITIONS; n++) {
      lines.addAll(generator.recordsOf(n));
    }
    String t = "\"event_time\":\"2026-01-01T00:01:00Z\",\"account_id\":\"acct-0000001\",\"card_id\":\"card-1-1\","
        + "\"merchant_id\":\"m\",\"mcc\":\"5411\",\"currency\":\"EUR\",\"country\":\"DE\",\"channel\":\"pos\"";
    lines.add("{\"txn_id\":\"crafted-zero\"," + t + ",\"amount\":0}");
    lines.add("{\"txn_id\":\"crafted-huge\"," + t + ",\"amount\":1,\"note\":\"" + "x".repeat(1_100_000) + "\"}");
    lines.add("{\"txn_id\":\"crafted-ok\"," + t + ",\"amount\":1.5,\"unknown\":[1,2]}");
    lines.add("{\"txn_id\":\"crafted-tz\"," + t.replace("00:01:00Z", "01:01:00+01:00") + ",\"amount\":2}");
    Files.write(dir.resolve("transactions.jsonl"), lines, StandardCharsets.UTF_8);
    Files.write(dir.resolve("accounts.jsonl"), AccountTables.toJsonLines(generator.accounts()));
    return lines;
  }

  @Test
  void alertsAreExactlyWhatAnIndependentComputationGives() throws Exception {
    List<String> lines = writeDataSet(dir);
    Path out = dir.resolve("out");
    FraudDetectionOptions options = PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
        "--source=file", "--input=" + dir.resolve("transactions.jsonl"),
        "--accounts=" + dir.resolve("accounts.jsonl"), "--output=" + out)).as(FraudDetectionOptions.class);
    PipelineResult result = FraudDetection.run(options);
    result.waitUntilFinish();
    RunSummary summary = RunSummary.of(result);

    Expected expected = new Expected(lines, Files.readAllLines(dir.resolve("accounts.jsonl")));
    assertThat(summary.balances()).as(summary.format("fraud run")).isTrue();
    assertThat(summary.read()).isEqualTo(lines.size());
    assertThat(summary.deadLettered()).isEqualTo(expected.invalid);
    assertThat(summary.deadLettersByReason()).containsKeys("record_too_large", "non_positive_amount",
        "malformed_json", "missing_field", "wrong_type", "bad_timestamp", "invalid_value", "empty_record",
        "not_an_object");
    assertThat(summary.duplicates()).isEqualTo(expected.duplicates).isPositive();
    assertThat(LocalParquetFiles.readAll(out.resolve("dead_letter"))).hasSize((int) expected.invalid);

    Map<String, List<String>> alerts = new TreeMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(out.resolve("alerts"))) {
      List<String> reasons = new ArrayList<>();
      ((List<?>) r.get("reasons")).forEach(x -> reasons.add(x.toString()));
      assertThat(alerts.put(r.get("txn_id").toString(), reasons)).as("one row per flagged transaction").isNull();
    }
    assertThat(alerts).isEqualTo(expected.alerts);
    Set<String> reasonsSeen = new TreeSet<>();
    alerts.values().forEach(reasonsSeen::addAll);
    assertThat(reasonsSeen).as("every rule fires on this data set")
        .containsExactly("amount_spike", "foreign_country", "new_merchant_category", "unknown_account", "velocity");

    long transactions = 0;
    long flagged = 0;
    for (GenericRecord r : LocalParquetFiles.readAll(out.resolve("fraud_stats"))) {
      transactions += (long) r.get("transactions");
      flagged += (long) r.get("flagged");
    }
    assertThat(transactions).isEqualTo(expected.unique);
    assertThat(flagged).isEqualTo(alerts.size());
  }

  /** The contract and rules, computed plainly. */
  static final class Expected {
    record Txn(String id, long time, String account, String card, String mcc, double amount, String country,
        String channel) {}

    long invalid;
    long duplicates;
    long unique;
    final Map<String, List<String>> alerts = new TreeMap<>();

    Expected(List<String> lines, List<String> accountLines) throws Exception {
      Map<String, JsonNode> accounts = new HashMap<>();
      for (String line : accountLines) {
        JsonNode a = JSON.readTree(line);
        accounts.put(a.get("account_id").asText(), a);
      }
      List<Txn> txns = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (String line : lines) {
        Txn t = valid(line);
        if (t == null) {
          invalid++;
        } else if (!seen.add(t.id)) {
          duplicates++;
        } else {
          txns.add(t);
        }
      }
      unique = txns.size();
      Map<String, List<Txn>> byCard = new HashMap<>();
      txns.forEach(t -> byCard.computeIfAbsent(t.card, c -> new ArrayList<>()).add(t));
      for (Txn t : txns) {
        long recent = byCard.get(t.card).stream().filter(o -> o.time > t.time - 60_000 && o.time <= t.time).count();
        TreeSet<String> reasons = new TreeSet<>();
        JsonNode a = accounts.get(t.account);
        if (a == null) {
          reasons.add("unknown_account");
        } else {
          double avg = a.get("avg_amount_90d").asDouble();
          double sd = a.get("stddev_amount_90d").asDouble();
          if (t.amount > avg + 4 * sd && t.amount > 100) {
            reasons.add("amount_spike");
          }
          if (!t.country.equals(a.get("home_country").asText()) && t.channel.equals("pos")) {
            reasons.add("foreign_country");
          }
          boolean known = false;
          for (JsonNode m : a.get("known_mccs")) {
            known |= m.asText().equals(t.mcc);
          }
          if (!known && t.amount > 3 * avg) {
            reasons.add("new_merchant_category");
          }
        }
        if (recent >= 6) {
          reasons.add("velocity");
        }
        if (!reasons.isEmpty()) {
          alerts.put(t.id, new ArrayList<>(reasons));
        }
      }
    }

    static Txn valid(String line) {
      if (line.isBlank() || line.getBytes(StandardCharsets.UTF_8).length > 1024 * 1024) {
        return null;
      }
      try {
        JsonNode n = JSON.readTree(line);
        if (n == null || !n.isObject()) {
          return null;
        }
        for (String f : List.of("txn_id", "event_time", "account_id", "card_id", "merchant_id", "mcc", "currency",
            "country", "channel")) {
          if (n.get(f) == null || !n.get(f).isTextual() || n.get(f).asText().isBlank()) {
            return null;
          }
        }
        JsonNode amount = n.get("amount");
        if (amount == null || !amount.isNumber() || amount.asDouble() <= 0) {
          return null;
        }
        String mcc = n.get("mcc").asText();
        String channel = n.get("channel").asText();
        if (!mcc.matches("\\d{4}") || !n.get("currency").asText().matches("[A-Za-z]{3}")
            || !n.get("country").asText().matches("[A-Za-z]{2}") || !List.of("pos", "ecom", "atm").contains(channel)) {
          return null;
        }
        long time = OffsetDateTime.parse(n.get("event_time").asText()).toInstant().toEpochMilli();
        return new Txn(n.get("txn_id").asText(), time, n.get("account_id").asText(), n.get("card_id").asText(), mcc,
            amount.asDouble(), n.get("country").asText().toUpperCase(), channel);
      } catch (Exception e) {
        return null;
      }
    }
  }
}
