package dev.millrace.benchmarks;

import dev.millrace.io.accounts.AccountTables;
import dev.millrace.model.Transaction;
import dev.millrace.model.reference.AccountTable;
import dev.millrace.transforms.fraud.FraudRules;
import dev.millrace.transforms.parse.InvalidRecordException;
import dev.millrace.transforms.parse.TransactionParser;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * fraud-detection's work as one plain single-threaded Java loop: load the account table, parse and
 * validate every record, de-duplicate by txn_id, count velocity per card (sort and sweep), apply
 * the rules; writes the alerts as {@code txn_id|[reasons]|} lines to {@code <output>/alerts.txt}.
 * The ceiling for one core; Millrace's runs are compared with it.
 */
public final class PlainJavaFraudBaseline {
  private PlainJavaFraudBaseline() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    Path input = Paths.get(args[0]);
    AccountTable accounts = AccountTables.load(args[1]);
    Path output = Paths.get(args[2]);
    TransactionParser parser = new TransactionParser(1024 * 1024);
    FraudRules rules = FraudRules.defaults();
    Set<String> seen = new HashSet<>();
    Map<String, List<Transaction>> byCard = new HashMap<>();
    long invalid = 0;
    try (BufferedReader lines = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
      String line;
      while ((line = lines.readLine()) != null) {
        Transaction t;
        try {
          t = parser.parse(line);
        } catch (InvalidRecordException e) {
          invalid++;
          continue;
        }
        if (seen.add(t.txnId())) {
          byCard.computeIfAbsent(t.cardId(), c -> new ArrayList<>()).add(t);
        }
      }
    }
    List<String> alerts = new ArrayList<>();
    long window = rules.velocityWindow().getMillis();
    for (List<Transaction> card : byCard.values()) {
      card.sort(Comparator.comparing(Transaction::eventTime));
      int from = 0;
      int to = 0;
      for (Transaction t : card) {
        long time = t.eventTime().getMillis();
        while (to < card.size() && card.get(to).eventTime().getMillis() <= time) {
          to++;
        }
        while (card.get(from).eventTime().getMillis() <= time - window) {
          from++;
        }
        List<String> reasons = rules.reasons(t, accounts.get(t.accountId()), to - from);
        if (!reasons.isEmpty()) {
          alerts.add(t.txnId() + "|" + reasons + "|");
        }
      }
    }
    Files.createDirectories(output);
    try (BufferedWriter out = Files.newBufferedWriter(output.resolve("alerts.txt"))) {
      for (String alert : alerts) {
        out.write(alert);
        out.newLine();
      }
    }
    System.out.printf("baseline: %,d transactions, %,d invalid, %,d alerts, %,d accounts; DONE in %.1f s%n",
        seen.size(), invalid, alerts.size(), accounts.size(), (System.nanoTime() - started) / 1e9);
  }
}
