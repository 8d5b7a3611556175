package dev.millrace.benchmarks;

import dev.millrace.io.accounts.AccountTables;
import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.synthetic.SyntheticTransactionsConfig;
import dev.millrace.io.synthetic.TransactionGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bin/millrace-bench fraud [--transactions=200000] [--accounts=10000,1000000]
 * [--runners=direct,flink] [--runs=1]}: fraud-detection on each runner's jar over the same
 * generated transactions, once per account table size, against {@link PlainJavaFraudBaseline} in the
 * same run; each run's alerts must equal the baseline's. Reports transactions/s, CPU and peak RSS,
 * so the memory of a large account table shows as the difference between table sizes.
 */
public final class FraudBenchmark {
  private FraudBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Benchmark.options(args, "bin/millrace-bench fraud [--transactions=200000]"
            + " [--accounts=10000,1000000] [--runners=direct,flink,spark] [--runs=1] [--results=benchmarks/results]",
        "transactions", "200000", "accounts", "10000,1000000", "runners", "direct,flink", "runs", "1",
        "results", "benchmarks/results");
    long positions = Long.parseLong(options.get("transactions"));
    int runs = Integer.parseInt(options.get("runs"));
    Path root = Paths.get(System.getProperty("millrace.root", ".")).toAbsolutePath().normalize();
    List<Integer> accountSizes = new ArrayList<>();
    for (String accounts : options.get("accounts").split(",")) {
      accountSizes.add(Integer.parseInt(accounts));
    }
    Report report = run(positions, accountSizes, List.of(options.get("runners").split(",")), runs, root);
    System.out.print(report.table());
    Path results = root.resolve(options.get("results"));
    Files.createDirectories(results);
    String stamp = Instant.now().toString().replace(":", "").replaceAll("\\.\\d+", "");
    Files.writeString(results.resolve("bench-fraud-" + stamp + ".txt"), report.table());
    Files.writeString(results.resolve("bench-fraud-" + stamp + ".json"), "{\n  \"machine\": \"" + Benchmark.machine()
        + "\",\n  \"runs\": " + runs + ",\n  \"fraud_detection\": " + report.json() + "\n}\n");
    System.out.println("results: " + root.relativize(results.resolve("bench-fraud-" + stamp + ".txt")) + " (.json)");
    if (!report.allSame()) {
      System.err.println("millrace-bench fraud: some runs did not give the baseline's alerts");
      System.exit(1);
    }
  }

  /**
   * What one {@link #run} measured: the text table, a JSON object (the positions, and per account table
   * size its records and medians), whether every run's alerts equalled the baseline's, and each
   * config's {@code speed_vs_java_baseline} per account table size.
   */
  record Report(String table, String json, boolean allSame, Map<Integer, Map<String, Double>> speedVsJava) {}

  /** fraud-detection on each runner and {@link PlainJavaFraudBaseline}, per account table size. */
  static Report run(long positions, List<Integer> accountSizes, List<String> runners, int runs, Path root)
      throws Exception {
    Path work = root.resolve("benchmarks/target/bench-fraud");
    Files.createDirectories(work);
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    StringBuilder table = new StringBuilder(String.format("%nfraud-detection, %,d transaction positions, %s%n",
        positions, Benchmark.machine()));
    table.append(String.format("%-16s %10s %8s %8s %10s %8s %12s %7s %8s  %s%n", "config", "accounts", "wall s",
        "job s", "txns/s", "cpu s", "peak RSS MB", "alerts", "vs java", "alerts"));
    StringBuilder json = new StringBuilder(String.format("{\"transactions\": %d, \"account_sizes\": [%n", positions));
    Map<Integer, Map<String, Double>> speedVsJava = new LinkedHashMap<>();
    boolean allSame = true;
    for (int accounts : accountSizes) {
      SyntheticTransactionsConfig config = SyntheticTransactionsConfig.defaults().withEventsPerSecond(1000)
          .withAccounts(accounts).withDuplicateFraction(0.01).withMalformedFraction(0.01);
      Path input = work.resolve("transactions-" + positions + "-" + accounts + ".jsonl");
      Path accountFile = work.resolve("accounts-" + accounts + ".jsonl");
      long records = generate(config, positions, input, accountFile);
      table.append(tableMemory(accountFile));

      List<Benchmark.Config> configs = new ArrayList<>();
      configs.add(new Benchmark.Config("baseline-java",
          Benchmark.baseline(java, PlainJavaFraudBaseline.class, input.toString(), accountFile.toString())));
      for (String runner : runners) {
        Benchmark.warmUp(root, runner, work);
        configs.add(new Benchmark.Config("millrace-" + runner, Benchmark.millrace(root, runner, "run",
            "fraud-detection", "--source=file", "--input=" + input, "--accounts=" + accountFile)));
      }
      List<Benchmark.Measurement> measurements = new ArrayList<>();
      Map<String, Integer> alertCounts = new LinkedHashMap<>();
      Map<String, Boolean> same = new LinkedHashMap<>();
      for (int run = 1; run <= runs; run++) {
        List<String> baseline = null;
        for (Benchmark.Config c : configs) {
          Path output = work.resolve("out").resolve(c.name() + "-" + accounts + "-" + run);
          Benchmark.deleteTree(output);
          List<String> command = new ArrayList<>(c.command());
          command.add(c.name().startsWith("baseline-") ? output.toString() : "--output=" + output);
          Benchmark.Measurement m = Benchmark.measure(c.name(), run, command, output,
              work.resolve(c.name() + "-" + accounts + "-" + run + ".log"));
          List<String> alerts = c.name().startsWith("baseline-")
              ? Files.readAllLines(output.resolve("alerts.txt")).stream().sorted().toList()
              : LocalParquetFiles.rows(output.resolve("alerts"), "txn_id", "reasons");
          if (baseline == null) {
            baseline = alerts;
          }
          measurements.add(m);
          alertCounts.put(c.name(), alerts.size());
          same.merge(c.name(), alerts.equals(baseline), Boolean::logicalAnd);
          System.out.printf("  %,d accounts, run %d %-16s job %6.1f s, cpu %6.1f s, peak RSS %,6d MB, %,d alerts%s%n",
              accounts, run, c.name(), m.jobSeconds(), m.cpuSeconds(), m.peakRssBytes() >> 20, alerts.size(),
              alerts.equals(baseline) ? "" : ", DIFFERENT FROM BASELINE");
          Benchmark.deleteTree(output);
        }
      }
      double java0 = Benchmark.medianOf(measurements, "baseline-java", Benchmark.Measurement::jobSeconds);
      json.append(String.format("    {\"accounts\": %d, \"records\": %d, \"medians\": [%n", accounts, records));
      for (int i = 0; i < configs.size(); i++) {
        String name = configs.get(i).name();
        double job = Benchmark.medianOf(measurements, name, Benchmark.Measurement::jobSeconds);
        double wall = Benchmark.medianOf(measurements, name, Benchmark.Measurement::wallSeconds);
        double cpu = Benchmark.medianOf(measurements, name, Benchmark.Measurement::cpuSeconds);
        long rss = Math.round(Benchmark.medianOf(measurements, name, m -> m.peakRssBytes() >> 20));
        allSame &= same.get(name);
        speedVsJava.computeIfAbsent(accounts, k -> new LinkedHashMap<>()).put(name, java0 / job);
        table.append(String.format(Locale.ROOT, "%-16s %,10d %8.1f %8.1f %,10.0f %8.1f %,12d %7d %7.2fx  %s%n",
            name, accounts, wall, job, records / job, cpu, rss, alertCounts.get(name), java0 / job,
            same.get(name) ? "same as baseline" : "DIFFERENT"));
        json.append(String.format(Locale.ROOT, "      {\"config\": \"%s\", \"wall_s\": %.2f, \"job_s\": %.2f,"
                + " \"records_per_s\": %.0f, \"cpu_s\": %.2f, \"peak_rss_mb\": %d, \"speed_vs_java_baseline\": %.3f,"
                + " \"alerts\": %d, \"same_as_baseline\": %b}%s%n", name, wall, job, records / job, cpu, rss,
            java0 / job, alertCounts.get(name), same.get(name), i + 1 < configs.size() ? "," : ""));
      }
      json.append("    ]}").append(accounts == accountSizes.get(accountSizes.size() - 1) ? "" : ",").append('\n');
    }
    json.append("  ]}");
    return new Report(table.toString(), json.toString(), allSame, speedVsJava);
  }

  /** Writes the transactions and the account data once per size; returns the transaction records. */
  static long generate(SyntheticTransactionsConfig config, long positions, Path input, Path accountFile)
      throws Exception {
    TransactionGenerator generator = new TransactionGenerator(config);
    Benchmark.writeOnce(accountFile, 1, n -> AccountTables.toJsonLines(generator.accounts()));
    return Benchmark.writeOnce(input, positions, generator::recordsOf);
  }

  /** The account table's own footprint: heap after loading it here, and its size as a side input value. */
  static String tableMemory(Path accountFile) throws Exception {
    long before = usedHeap();
    long started = System.nanoTime();
    dev.millrace.model.reference.AccountTable accounts = AccountTables.load(accountFile.toString());
    double loadSeconds = (System.nanoTime() - started) / 1e9;
    long heap = usedHeap() - before;
    byte[] encoded = org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(
        dev.millrace.model.reference.AccountTableCoder.of(), accounts);
    return String.format(Locale.ROOT, "account table of %,d: loaded from %,d MB of JSON lines in %.1f s, %,d MB of heap"
        + " (%d bytes per account), %,d MB encoded as a side input value%n", accounts.size(),
        Files.size(accountFile) >> 20, loadSeconds, heap >> 20, heap / Math.max(1, accounts.size()),
        encoded.length >> 20);
  }

  static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 5; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
