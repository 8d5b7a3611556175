package dev.millrace.io.synthetic;

import static dev.millrace.io.synthetic.SyntheticRecords.chance;
import static dev.millrace.io.synthetic.SyntheticRecords.decimal;
import static dev.millrace.io.synthetic.SyntheticRecords.json;

import dev.millrace.model.reference.Account;
import dev.millrace.model.reference.AccountTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.joda.time.Instant;

/**
 * Synthetic card transactions and the account data they belong to, deterministic for a seed: event
 * n is at {@code startTime + n / rate}. Most transactions look like their account's history; a fixed
 * share of positions inject each fraud pattern: an unknown account (n % 997 == 11), an amount spike
 * (n % 499 == 7), a point-of-sale purchase abroad (n % 211 == 5), a large amount in a new merchant
 * category (n % 307 == 3), and a burst of 7 transactions on one card within 30 s (n % 1009 == 17).
 * Optional duplicates and malformed records (each a dead-letter reason) as for the clickstream.
 */
public final class TransactionGenerator extends EvenlySpacedPositions {
  static final String[] COUNTRIES = {"DE", "FR", "GB", "US", "ES", "IT", "NL", "SE"};
  static final String[] CURRENCIES = {"EUR", "EUR", "GBP", "USD", "EUR", "EUR", "EUR", "SEK"};
  static final String[] MCCS = {
    "5411", "5812", "5541", "5912", "5311", "4111", "5999", "5732", "7011", "4511", "5944", "6011"
  };
  static final String[] TIERS = {"low", "low", "low", "low", "low", "low", "medium", "medium", "medium", "high"};
  static final int BURST = 7;

  private final SyntheticTransactionsConfig config;

  public TransactionGenerator(SyntheticTransactionsConfig config) {
    super(config.startTime(), config.eventsPerSecond());
    this.config = config;
  }

  @Override
  public TransactionGenerator startingAt(Instant start) {
    return new TransactionGenerator(config.withStartTime(start));
  }

  /** Account i (1-based) of the synthetic account data. */
  public Account account(int i) {
    SplittableRandom r = new SplittableRandom(ClickstreamGenerator.mix(config.seed() ^ 0x5eedL, i));
    int home = r.nextInt(COUNTRIES.length);
    double avg = cents(20 + r.nextDouble() * 180);
    double stddev = cents(avg * (0.2 + r.nextDouble() * 0.3));
    List<String> known = new ArrayList<>();
    int first = r.nextInt(MCCS.length);
    int count = 3 + r.nextInt(3);
    for (int k = 0; k < count; k++) {
      known.add(MCCS[(first + k * 5) % MCCS.length]);
    }
    String opened = String.format("%04d-%02d-%02d", 2012 + r.nextInt(14), 1 + r.nextInt(12), 1 + r.nextInt(28));
    return new Account(accountId(i), COUNTRIES[home], avg, stddev, 10 + r.nextInt(300), known, opened,
        TIERS[r.nextInt(TIERS.length)]);
  }

  /** The whole synthetic account data. */
  public AccountTable accounts() {
    List<Account> rows = new ArrayList<>(config.accounts());
    for (int i = 1; i <= config.accounts(); i++) {
      rows.add(account(i));
    }
    return AccountTable.of(rows, "synthetic", config.startTime());
  }

  static String accountId(int i) {
    return String.format("acct-%07d", i);
  }

  /** The records of position n: usually one, a burst's seven, a duplicate's two. */
  @Override
  public List<String> recordsOf(long n) {
    SplittableRandom r = new SplittableRandom(ClickstreamGenerator.mix(config.seed(), n));
    if (chance(r, config.malformedFraction())) {
      return List.of(malformed(n, r));
    }
    List<String> records = new ArrayList<>();
    Map<String, Object> txn = transaction(n, r);
    if (n % 1009 == 17) {
      for (int k = 0; k < BURST; k++) {
        Map<String, Object> copy = new LinkedHashMap<>(txn);
        copy.put("txn_id", "txn-" + n + "-" + k);
        copy.put("event_time", nominalTime(n).plus(k * 5_000L).toString());
        copy.put("merchant_id", "m-" + (r.nextInt(5000)));
        records.add(json(copy));
      }
    } else {
      records.add(json(txn));
    }
    if (chance(r, config.duplicateFraction())) {
      records.add(records.get(records.size() - 1));
    }
    return records;
  }

  private Map<String, Object> transaction(long n, SplittableRandom r) {
    int i = 1 + r.nextInt(config.accounts());
    Account account = account(i);
    int home = indexOf(account.homeCountry());
    Map<String, Object> txn = new LinkedHashMap<>();
    txn.put("txn_id", "txn-" + n);
    txn.put("event_time", nominalTime(n).toString());
    boolean unknown = n % 997 == 11;
    txn.put("account_id", unknown ? "acct-X" + n : account.accountId());
    txn.put("card_id", unknown ? "card-X" + n : "card-" + i + "-" + (1 + r.nextInt(2)));
    txn.put("merchant_id", "m-" + r.nextInt(5000));
    String mcc = r.nextDouble() < 0.92
        ? account.knownMccs().get(r.nextInt(account.knownMccs().size()))
        : MCCS[r.nextInt(MCCS.length)];
    // Roughly normal around the account's average: the sum of three uniforms.
    double amount = account.avgAmount90d()
        + account.stddevAmount90d() * (r.nextDouble() + r.nextDouble() + r.nextDouble() - 1.5);
    String channel = r.nextDouble() < 0.6 ? "pos" : r.nextDouble() < 0.75 ? "ecom" : "atm";
    String country = account.homeCountry();
    if ("ecom".equals(channel) && r.nextDouble() < 0.05) {
      country = COUNTRIES[(home + 1 + r.nextInt(COUNTRIES.length - 1)) % COUNTRIES.length];
    }
    if (n % 499 == 7) {
      amount = account.avgAmount90d() + 5 * account.stddevAmount90d() + 150;
    }
    if (n % 211 == 5) {
      channel = "pos";
      country = COUNTRIES[(home + 1 + r.nextInt(COUNTRIES.length - 1)) % COUNTRIES.length];
    }
    if (n % 307 == 3) {
      mcc = firstUnknownMcc(account, r);
      amount = account.avgAmount90d() * 3.5 + 1;
    }
    txn.put("mcc", mcc);
    txn.put("amount", decimal(Math.max(1, amount), 2));
    txn.put("currency", CURRENCIES[home]);
    txn.put("country", country);
    txn.put("channel", channel);
    return txn;
  }

  private static String firstUnknownMcc(Account account, SplittableRandom r) {
    int start = r.nextInt(MCCS.length);
    for (int k = 0; k < MCCS.length; k++) {
      String mcc = MCCS[(start + k) % MCCS.length];
      if (!account.knownMccs().contains(mcc)) {
        return mcc;
      }
    }
    return "0000";
  }

  private String malformed(long n, SplittableRandom r) {
    Map<String, Object> txn = transaction(n, r);
    switch ((int) (n % 9)) {
      case 0:
        return "{\"txn_id\": \"txn-" + n + "\", \"amount\": 12.5";
      case 1:
        txn.remove("card_id");
        break;
      case 2:
        txn.put("amount", "12.50");
        break;
      case 3:
        txn.put("event_time", "yesterday at noon");
        break;
      case 4:
        txn.put("mcc", "541");
        break;
      case 5:
        txn.put("amount", -5);
        break;
      case 6:
        txn.put("channel", "web");
        break;
      case 7:
        return "";
      default:
        return "[\"txn-" + n + "\"]";
    }
    return json(txn);
  }

  private static int indexOf(String country) {
    for (int k = 0; k < COUNTRIES.length; k++) {
      if (COUNTRIES[k].equals(country)) {
        return k;
      }
    }
    return 0;
  }

  private static double cents(double v) {
    return decimal(v, 2).doubleValue();
  }
}
