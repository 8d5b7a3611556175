package dev.millrace.benchmarks;

import dev.millrace.io.parquet.LocalParquetFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.joda.time.format.DateTimeFormat;
import org.joda.time.format.DateTimeFormatter;

/**
 * Streaming latency on Flink or Spark: clickstream-analytics reads the synthetic source unbounded at a fixed
 * wall-clock rate (5 s windows, 1 s maximum out-of-orderness), and a watcher notes when each window's
 * first page_stats file appears (files are renamed into place only when complete, so appearing is
 * committing). Latency is that moment less the window's end. A rate is sustained when the latency of
 * the last third of the windows is within 5 s of the first third's (it does not keep growing).
 */
final class StreamingLatency {
  static final Pattern FILE = Pattern.compile("page_stats-(\\d{8}T\\d{6}Z)-(\\d{8}T\\d{6}Z)-p0-.*\\.parquet");
  static final DateTimeFormatter COMPACT_UTC = DateTimeFormat.forPattern("yyyyMMdd'T'HHmmss'Z'").withZoneUTC();

  /**
   * One rate's latencies; {@code eventsPerSecondInWindows}: the events the measured windows hold (all
   * their panes), per second of those windows, which shows the job read at the rate it was given.
   */
  record Result(double rate, int windows, double p50, double p95, double p99, double firstThird, double lastThird,
      double eventsPerSecondInWindows) {
    boolean sustained() {
      return windows >= 3 && lastThird <= firstThird + 5_000;
    }
  }

  private StreamingLatency() {}

  static Result measure(String runner, List<String> streamingJob, Path work, double rate, int seconds)
      throws Exception {
    Path output = work.resolve("latency-" + runner + "-" + (long) rate);
    Benchmark.deleteTree(output);
    List<String> command = new ArrayList<>(streamingJob);
    command.addAll(List.of("--source=synthetic", "--maxEvents=0", "--rate=" + rate, "--windowSize=5s",
        "--allowedLateness=5s", "--maxOutOfOrderness=1s", "--outOfOrderFraction=0", "--output=" + output));
    Path log = work.resolve("latency-" + runner + "-" + (long) rate + ".log");
    Process job = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Map<Long, Long> committedAt = new HashMap<>(); // window end -> when its first file appeared
    // Measure for `seconds` from the first committed window (the job's start-up is not latency),
    // giving up if nothing appears within 75 s (the job starts in about 25 s; the first window and
    // checkpoint follow within 20 s when it keeps up).
    long until = System.currentTimeMillis() + 75_000L;
    boolean started = false;
    try {
      while (System.currentTimeMillis() < until && job.isAlive()) {
        if (!started && !committedAt.isEmpty()) {
          started = true;
          until = System.currentTimeMillis() + seconds * 1000L;
        }
        long now = System.currentTimeMillis();
        Path stats = output.resolve("page_stats");
        if (Files.isDirectory(stats)) {
          try (Stream<Path> files = Files.walk(stats)) {
            for (Path f : files.collect(Collectors.toList())) {
              Matcher m = FILE.matcher(f.getFileName().toString());
              if (m.matches()) {
                committedAt.putIfAbsent(COMPACT_UTC.parseMillis(m.group(2)), now);
              }
            }
          } catch (IOException | java.io.UncheckedIOException e) {
            // a file moved while listing; the next poll sees it
          }
        }
        Thread.sleep(100);
      }
    } finally {
      job.destroy();
      if (!job.waitFor(30, TimeUnit.SECONDS)) {
        job.destroyForcibly();
      }
    }
    // The first windows include the job's start-up: skip the first two.
    List<Map.Entry<Long, Long>> measured = committedAt.entrySet().stream().sorted(Map.Entry.comparingByKey()).skip(2)
        .collect(Collectors.toList());
    List<Long> latencies = measured.stream().map(e -> e.getValue() - e.getKey()).collect(Collectors.toList());
    double eventsPerSecond = eventsPerSecond(output, measured.stream().map(Map.Entry::getKey).collect(Collectors.toSet()));
    Benchmark.deleteTree(output);
    if (latencies.isEmpty()) {
      return new Result(rate, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    int third = Math.max(1, latencies.size() / 3);
    List<Long> sorted = latencies.stream().sorted().collect(Collectors.toList());
    return new Result(rate, latencies.size(), percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
        latencies.subList(0, third).stream().mapToLong(Long::longValue).average().orElse(0),
        latencies.subList(latencies.size() - third, latencies.size()).stream().mapToLong(Long::longValue).average().orElse(0),
        eventsPerSecond);
  }

  /** The events of the windows ending at {@code windowEnds} (every pane), per second of those 5 s windows. */
  static double eventsPerSecond(Path output, java.util.Set<Long> windowEnds) throws IOException {
    if (windowEnds.isEmpty() || !Files.isDirectory(output.resolve("page_stats"))) {
      return Double.NaN;
    }
    long events = 0;
    for (GenericRecord row : LocalParquetFiles.readAll(output.resolve("page_stats"))) {
      Object end = row.get("window_end");
      long endMillis = end instanceof java.time.Instant i ? i.toEpochMilli() : ((Number) end).longValue();
      if (windowEnds.contains(endMillis)) {
        events += ((Number) row.get("events")).longValue();
      }
    }
    return events / (windowEnds.size() * 5.0);
  }

  static double percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  static String table(String runner, List<Result> results) {
    StringBuilder out = new StringBuilder(String.format(
        "%nstreaming latency on " + runner + " (window end -> its Parquet file committed; 5 s windows):%n"
            + "%12s %8s %9s %9s %9s %14s  %s%n", "events/s", "windows", "p50 s", "p95 s", "p99 s", "in windows/s",
            "keeps up"));
    for (Result r : results) {
      out.append(String.format(Locale.ROOT, "%,12.0f %8d %9.1f %9.1f %9.1f %,14.0f  %s%n", r.rate(), r.windows(),
          r.p50() / 1000, r.p95() / 1000, r.p99() / 1000, r.eventsPerSecondInWindows(),
          r.sustained() ? "yes"
              : r.windows() < 3 ? String.format(Locale.ROOT, "no (only %d window(s) committed)", r.windows())
              : String.format(Locale.ROOT, "no (latency grew %.1f s -> %.1f s)", r.firstThird() / 1000, r.lastThird() / 1000)));
    }
    return out.toString();
  }
}
