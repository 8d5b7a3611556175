package dev.millrace.templates.cli;

import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.pipelines.clickstream.ClickstreamAnalytics;
import dev.millrace.pipelines.options.ParquetOutputOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Instant;

/** The demo: clickstream-analytics on a bounded synthetic stream with some of every kind of trouble. */
final class Demo {
  /** Demo defaults; any of them can be overridden on the command line. */
  static final List<String> DEFAULTS =
      List.of(
          "--source=synthetic",
          "--maxEvents=100000",
          "--rate=100",
          "--outOfOrderFraction=0.1",
          "--lateFraction=0.002",
          "--duplicateFraction=0.01",
          "--malformedFraction=0.005",
          "--output=./millrace-output");

  private Demo() {}

  static String[] arguments(String[] overrides) {
    return Millrace.withDefaults(overrides, DEFAULTS.toArray(new String[0]));
  }

  /** The five busiest pages of each of the last three windows, from the Parquet just written. */
  /** The demo ends with the analytics stage: the report next to the output, and its path. */
  static void writeReport(PrintStream out, PrintStream err, PipelineOptions options) {
    String output = options.as(ParquetOutputOptions.class).getOutput();
    out.println();
    Analytics.writeReport(out, err, output, Paths.get(output, "report.html"), options);
  }

  static void printBusiestPages(PrintStream out, PipelineOptions options) {
    String output = options.as(ParquetOutputOptions.class).getOutput();
    Path dataset = Paths.get(output, ClickstreamAnalytics.PAGE_STATS);
    if (!dataset.toFile().isDirectory()) {
      return;
    }
    // (window start, page) -> the record of its last pane, which holds the final numbers.
    Map<String, GenericRecord> lastPanes = new HashMap<>();
    try {
      for (GenericRecord r : LocalParquetFiles.readAll(dataset)) {
        String key = r.get("window_start") + "|" + r.get("page");
        GenericRecord seen = lastPanes.get(key);
        if (seen == null || (long) seen.get("pane_index") < (long) r.get("pane_index")) {
          lastPanes.put(key, r);
        }
      }
    } catch (IOException e) {
      out.println("(could not read " + dataset + ": " + e.getMessage() + ")");
      return;
    }
    TreeMap<Long, List<GenericRecord>> byWindow = new TreeMap<>();
    for (GenericRecord r : lastPanes.values()) {
      byWindow.computeIfAbsent((Long) r.get("window_start"), w -> new ArrayList<>()).add(r);
    }
    out.println();
    out.println("Busiest pages of the last windows (final pane of each window):");
    out.printf("  %-24s %-22s %8s %6s %6s %9s %10s %6s%n",
        "window_start (UTC)", "page", "events", "views", "clicks", "purchases", "revenue", "users");
    for (Long window : byWindow.descendingKeySet().stream().limit(3).sorted().collect(Collectors.toList())) {
      byWindow.get(window).stream()
          .sorted(Comparator.comparingLong((GenericRecord r) -> -(long) r.get("events"))
              .thenComparing(r -> r.get("page").toString()))
          .limit(5)
          .forEach(
              r ->
                  out.printf("  %-24s %-22s %,8d %,6d %,6d %,9d %,10.2f %,6d%n",
                      new Instant(window).toString(), r.get("page"), r.get("events"), r.get("views"),
                      r.get("clicks"), r.get("purchases"), r.get("revenue"), r.get("unique_users")));
    }
    out.println();
    out.println("Output: " + Paths.get(output).toAbsolutePath().normalize()
        + " (page_stats/ and dead_letter/, Parquet; read them with DuckDB, Spark, pandas, ...)");
  }
}
