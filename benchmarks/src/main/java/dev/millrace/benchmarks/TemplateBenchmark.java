package dev.millrace.benchmarks;

import dev.millrace.io.parquet.LocalParquetFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;

/**
 * {@code bin/millrace-bench --template=NAME[,NAME...]|all [--events=100000] [--runners=direct,flink,spark]
 * [--runs=1]}: any template, bounded from files, on each runner's jar, each run in its own JVM, over
 * the same input: the template's own generator ({@code millrace generate --template=NAME}), or for
 * log-analytics the real access log beside the clone (cycled to {@code --events} lines). Every run's
 * datasets (every row, every field, dead letters included) must equal the DirectRunner's; the figures
 * are records/s, CPU and peak RSS, and each runner's speed against the DirectRunner's in the same run.
 * log-analytics, predictive-maintenance, patient-monitoring and campaign-analytics also run their
 * plain-Java baselines ({@link PlainJavaLogBaseline}, {@link PlainJavaMaintenanceBaseline}, {@link
 * PlainJavaPatientBaseline}, {@link PlainJavaCampaignBaseline}, as config {@code baseline-java}): their
 * result datasets must equal the DirectRunner's, and every runner's {@code speed_vs_java_baseline} is the
 * baseline's job time over the runner's. The other baselines are clickstream-analytics' ({@code
 * bin/millrace-bench}) and fraud-detection's ({@code bin/millrace-bench fraud}).
 */
public final class TemplateBenchmark {
  static final List<String> TEMPLATES = List.of("clickstream-analytics", "log-analytics", "fraud-detection",
      "predictive-maintenance", "patient-monitoring", "campaign-analytics");

  static final java.util.Set<String> WALL_CLOCK_FIELDS = java.util.Set.of("processing_time", "detected_at");

  /** The templates with a plain-Java baseline here, by its main class. */
  static final Map<String, Class<?>> JAVA_BASELINES = Map.of("log-analytics", PlainJavaLogBaseline.class,
      "predictive-maintenance", PlainJavaMaintenanceBaseline.class,
      "patient-monitoring", PlainJavaPatientBaseline.class,
      "campaign-analytics", PlainJavaCampaignBaseline.class);
  static final String BASELINE = "baseline-java";

  private TemplateBenchmark() {}

  /** A template's input: the files and the options that read them. */
  record Input(long records, List<String> runArgs) {}

  /**
   * What one {@link #run} measured: the text table, the JSON array of templates (each with its
   * medians), whether every run's rows equalled the reference's, and each template's
   * {@code speed_vs_java_baseline} per config (templates with a baseline only).
   */
  record Report(String table, String json, boolean allSame, Map<String, Map<String, Double>> speedVsJava) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Benchmark.options(args, "bin/millrace-bench --template=NAME[,NAME...]|all"
            + " [--events=100000] [--runners=direct,flink,spark] [--runs=1] [--results=benchmarks/results]\n"
            + "  templates: " + String.join(", ", TEMPLATES),
        "template", "all", "events", "100000", "runners", "direct,flink,spark", "runs", "1",
        "results", "benchmarks/results");
    List<String> templates = options.get("template").equals("all") ? TEMPLATES
        : List.of(options.get("template").split(","));
    for (String template : templates) {
      if (!TEMPLATES.contains(template)) {
        System.err.println("millrace-bench: no template " + template + " (" + String.join(", ", TEMPLATES) + ")");
        System.exit(2);
      }
    }
    long events = Long.parseLong(options.get("events"));
    int runs = Integer.parseInt(options.get("runs"));
    Path root = Paths.get(System.getProperty("millrace.root", ".")).toAbsolutePath().normalize();
    Report report = run(templates, List.of(options.get("runners").split(",")), events, runs, root);
    String json = "{\n  \"machine\": \"" + Benchmark.machine() + "\",\n  \"events\": " + events + ",\n  \"runs\": "
        + runs + ",\n  \"templates\": " + report.json() + "\n}\n";
    System.out.print(report.table());
    Path results = root.resolve(options.get("results"));
    Files.createDirectories(results);
    String stamp = Instant.now().toString().replace(":", "").replaceAll("\\.\\d+", "");
    Files.writeString(results.resolve("bench-templates-" + stamp + ".json"), json);
    Files.writeString(results.resolve("bench-templates-" + stamp + ".txt"), report.table());
    System.out.println("results: " + root.relativize(results.resolve("bench-templates-" + stamp + ".json")) + " (.txt)");
    if (!report.allSame()) {
      System.err.println("millrace-bench: some runs did not write the DirectRunner's rows");
      System.exit(1);
    }
  }

  /**
   * Runs each template on each runner (the DirectRunner always, first: the reference) and on its
   * plain-Java baseline where it has one, {@code runs} times over the same generated input.
   */
  static Report run(List<String> templates, List<String> runnersAsked, long events, int runs, Path root)
      throws Exception {
    List<String> runners = new ArrayList<>(runnersAsked);
    if (!runners.contains("direct")) {
      runners.add(0, "direct"); // the reference every other run is checked against
    }
    Path work = root.resolve("benchmarks/target/bench-templates");
    Files.createDirectories(work);
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();

    StringBuilder table = new StringBuilder(String.format("%ntemplates, bounded from files, %s%n", Benchmark.machine()));
    table.append(String.format("%-24s %-13s %10s %8s %8s %11s %8s %12s %9s %9s  %s%n", "template", "runner", "records",
        "wall s", "job s", "records/s", "cpu s", "peak RSS MB", "vs direct", "vs java", "output"));
    StringBuilder json = new StringBuilder("[\n");
    Map<String, Map<String, Double>> speedVsJava = new LinkedHashMap<>();
    boolean allSame = true;
    for (int t = 0; t < templates.size(); t++) {
      String template = templates.get(t);
      Input input = input(template, events, root, work, java);
      List<String> configs = new ArrayList<>(runners);
      if (JAVA_BASELINES.containsKey(template)) {
        configs.add(BASELINE);
      }
      List<Benchmark.Measurement> measurements = new ArrayList<>();
      Map<String, Boolean> same = new LinkedHashMap<>();
      Map<String, Long> rows = new LinkedHashMap<>();
      for (int run = 1; run <= runs; run++) {
        Map<String, List<String>> reference = null;
        for (String runner : configs) {
          Path output = work.resolve("out").resolve(template + "-" + runner + "-" + run);
          Benchmark.deleteTree(output);
          List<String> command;
          if (runner.equals(BASELINE)) {
            command = Benchmark.baseline(java, JAVA_BASELINES.get(template), baselineInput(input).toString(),
                output.toString());
          } else {
            Benchmark.warmUp(root, runner, work);
            List<String> args = new ArrayList<>(List.of("run", template, "--output=" + output));
            args.addAll(input.runArgs());
            command = Benchmark.millrace(root, runner, args.toArray(new String[0]));
          }
          Benchmark.Measurement m = Benchmark.measure(runner, run, command, output,
              work.resolve(template + "-" + runner + "-" + run + ".log"));
          Map<String, List<String>> datasets = datasets(output);
          if (reference == null) {
            reference = datasets;
          }
          // The baseline writes the result datasets, not dead letters: those must equal the Direct run's.
          Map<String, List<String>> expected = reference;
          boolean equal = runner.equals(BASELINE)
              ? !datasets.isEmpty() && datasets.keySet().stream().allMatch(d -> datasets.get(d).equals(expected.get(d)))
              : datasets.equals(reference);
          if (!equal) {
            System.out.println("    " + firstDifference(reference, datasets));
          }
          long count = datasets.values().stream().mapToLong(List::size).sum();
          measurements.add(m);
          same.merge(runner, equal, Boolean::logicalAnd);
          rows.put(runner, count);
          System.out.printf("  %s run %d %-6s wall %6.1f s, job %6.1f s, cpu %6.1f s, peak RSS %,6d MB, %,d rows in"
                  + " %d datasets%s%n", template, run, runner, m.wallSeconds(), m.jobSeconds(), m.cpuSeconds(),
              m.peakRssBytes() >> 20, count, datasets.size(), equal ? "" : ", DIFFERENT FROM DIRECT");
          Benchmark.deleteTree(output);
        }
      }
      double direct = Benchmark.medianOf(measurements, "direct", Benchmark.Measurement::jobSeconds);
      double baseline = configs.contains(BASELINE)
          ? Benchmark.medianOf(measurements, BASELINE, Benchmark.Measurement::jobSeconds) : Double.NaN;
      json.append("    {\"template\": \"").append(template).append("\", \"records\": ").append(input.records())
          .append(", \"medians\": [\n");
      for (int i = 0; i < configs.size(); i++) {
        String runner = configs.get(i);
        double job = Benchmark.medianOf(measurements, runner, Benchmark.Measurement::jobSeconds);
        double wall = Benchmark.medianOf(measurements, runner, Benchmark.Measurement::wallSeconds);
        double cpu = Benchmark.medianOf(measurements, runner, Benchmark.Measurement::cpuSeconds);
        long rss = Math.round(Benchmark.medianOf(measurements, runner, m -> m.peakRssBytes() >> 20));
        allSame &= same.get(runner);
        if (!Double.isNaN(baseline)) {
          speedVsJava.computeIfAbsent(template, k -> new LinkedHashMap<>())
              .put(runner.equals(BASELINE) ? runner : "millrace-" + runner, baseline / job);
        }
        table.append(String.format(Locale.ROOT, "%-24s %-13s %,10d %8.1f %8.1f %,11.0f %8.1f %,12d %8.2fx %9s  %s%n",
            template, runner, input.records(), wall, job, input.records() / job, cpu, rss, direct / job,
            Double.isNaN(baseline) ? "-" : String.format(Locale.ROOT, "%.2fx", baseline / job),
            (same.get(runner) ? "same as direct, " : "DIFFERENT, ") + String.format("%,d rows", rows.get(runner))));
        json.append(String.format(Locale.ROOT, "      {\"config\": \"%s\", \"wall_s\": %.2f, \"job_s\": %.2f,"
                + " \"records_per_s\": %.0f, \"cpu_s\": %.2f, \"peak_rss_mb\": %d, \"speed_vs_direct\": %.3f,%s"
                + " \"rows\": %d, \"same_as_direct\": %b}%s%n", runner.equals(BASELINE) ? runner : "millrace-" + runner,
            wall, job, input.records() / job, cpu, rss, direct / job,
            Double.isNaN(baseline) ? "" : String.format(Locale.ROOT, " \"speed_vs_java_baseline\": %.3f,", baseline / job),
            rows.get(runner), same.get(runner), i + 1 < configs.size() ? "," : ""));
      }
      json.append("    ]}").append(t + 1 < templates.size() ? "," : "").append('\n');
    }
    json.append("  ]");
    return new Report(table.toString(), json.toString(), allSame, speedVsJava);
  }

  /** What a baseline reads: the one {@code --input} file, or campaign-analytics' directory of five files. */
  static Path baselineInput(Input input) {
    for (String arg : input.runArgs()) {
      if (arg.startsWith("--input=")) {
        return Paths.get(arg.substring("--input=".length()));
      }
      if (arg.startsWith("--impressions=")) {
        return Paths.get(arg.substring("--impressions=".length())).getParent();
      }
    }
    throw new IllegalStateException("no input in " + input.runArgs());
  }

  /** Writes the template's input once per size (the generators are seeded: the same records each time). */
  static Input input(String template, long events, Path root, Path work, String java) throws Exception {
    Path dir = work.resolve(template + "-" + events);
    Path done = dir.resolve(".complete");
    List<String> generate = new ArrayList<>(List.of(java, "-jar", Benchmark.jar(root, "direct").toString(),
        "generate", "--template=" + template, "--maxEvents=" + events));
    List<String> runArgs = new ArrayList<>(List.of("--source=file"));
    Path records;
    switch (template) {
      case "log-analytics" -> {
        records = dir.resolve("access.log");
        runArgs.add("--input=" + records);
        generate = null;
      }
      case "campaign-analytics" -> {
        records = null;
        generate.add("--dir=" + dir);
        for (String stream : List.of("impressions", "clicks", "conversions")) {
          runArgs.add("--" + stream + "=" + dir.resolve(stream + ".jsonl"));
        }
        runArgs.addAll(List.of("--campaigns=" + dir.resolve("campaigns.jsonl"),
            "--customers=" + dir.resolve("customers.jsonl")));
      }
      case "fraud-detection" -> {
        records = dir.resolve("transactions.jsonl");
        generate.addAll(List.of("--file=" + records, "--accountsFile=" + dir.resolve("accounts.jsonl")));
        runArgs.addAll(List.of("--input=" + records, "--accounts=" + dir.resolve("accounts.jsonl")));
      }
      case "predictive-maintenance", "patient-monitoring" -> {
        records = dir.resolve("readings.jsonl");
        generate.addAll(List.of("--file=" + records, "--registryFile=" + dir.resolve("registry.jsonl")));
        runArgs.addAll(List.of("--input=" + records, "--registry=" + dir.resolve("registry.jsonl")));
      }
      default -> {
        records = dir.resolve("clicks.jsonl");
        generate.add("--file=" + records);
        runArgs.add("--input=" + records);
      }
    }
    if (!Files.exists(done)) {
      Benchmark.deleteTree(dir);
      Files.createDirectories(dir);
      if (generate == null) {
        cycleAccessLog(root, records, events);
      } else {
        Process process = new ProcessBuilder(generate).redirectErrorStream(true)
            .redirectOutput(dir.resolve("generate.log").toFile()).start();
        if (process.waitFor() != 0) {
          throw new IllegalStateException("generating " + template + " failed: " + Files.readString(dir.resolve("generate.log")));
        }
      }
      Files.writeString(done, "");
    }
    long count = 0;
    if (records != null) {
      count = lines(records);
    } else {
      for (String stream : List.of("impressions", "clicks", "conversions")) {
        count += lines(dir.resolve(stream + ".jsonl"));
      }
    }
    return new Input(count, runArgs);
  }

  /**
   * The real access log beside the clone (../shared/data), or the committed excerpt, its lines repeated
   * in order up to {@code lines}: a busier server with the same mix of requests, bots and bad lines.
   */
  static void cycleAccessLog(Path root, Path target, long lines) throws IOException {
    Path real = root.resolveSibling("shared/data/apache_access_combined.log");
    Path source = Files.exists(real) ? real : root.resolve("pipelines/src/test/resources/logs/access_excerpt.log");
    List<String> log = Files.readAllLines(source, StandardCharsets.UTF_8);
    try (BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
      for (long n = 0; n < lines; n++) {
        out.write(log.get((int) (n % log.size())));
        out.newLine();
      }
    }
  }

  /** Where a run's datasets first differ from the reference's, for the log. */
  static String firstDifference(Map<String, List<String>> reference, Map<String, List<String>> datasets) {
    if (!reference.keySet().equals(datasets.keySet())) {
      return "datasets " + datasets.keySet() + ", the DirectRunner wrote " + reference.keySet();
    }
    for (String name : reference.keySet()) {
      List<String> expected = reference.get(name);
      List<String> actual = datasets.get(name);
      for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
        String e = i < expected.size() ? expected.get(i) : "(none)";
        String a = i < actual.size() ? actual.get(i) : "(none)";
        if (!e.equals(a)) {
          return name + " row " + i + ": " + a + " where the DirectRunner wrote " + e;
        }
      }
    }
    return "no difference";
  }

  static long lines(Path file) throws IOException {
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.count();
    }
  }

  /**
   * Every dataset's rows, every field but the wall-clock ones (a dead letter's processing_time, an
   * alert's detected_at: when that run got there), sorted; dead letters' sources are compared too:
   * every run reads the same files.
   */
  static Map<String, List<String>> datasets(Path output) throws IOException {
    Map<String, List<String>> datasets = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(output)) {
      for (Path dataset : dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("_"))
          .collect(Collectors.toList())) {
        List<String> rows = new ArrayList<>();
        for (GenericRecord r : LocalParquetFiles.readAll(dataset)) {
          StringBuilder row = new StringBuilder();
          for (org.apache.avro.Schema.Field field : r.getSchema().getFields()) {
            if (!WALL_CLOCK_FIELDS.contains(field.name())) {
              row.append(r.get(field.pos())).append('|');
            }
          }
          rows.add(row.toString());
        }
        rows.sort(null);
        datasets.put(dataset.getFileName().toString(), rows);
      }
    }
    return datasets;
  }
}
