package dev.millrace.benchmarks;

import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.synthetic.ClickstreamGenerator;
import dev.millrace.io.synthetic.SyntheticClickstreamConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code bin/millrace-bench}: clickstream-analytics over N synthetic events (bounded, from one file)
 * on each runner's jar, each run in its own JVM, against the plain Java baseline doing the same work
 * in the same session. Measures process wall time, job time, CPU time and peak RSS (from /proc),
 * checks every run's page_stats equal the baseline's row for row, repeats, and reports medians as a
 * table and as JSON and CSV files.
 */
public final class Benchmark {
  static final String[] PAGE_STATS_FIELDS = {"window_start", "window_end", "page", "events", "views", "clicks",
      "add_to_carts", "purchases", "revenue", "unique_users", "pane_index", "pane_timing"};
  static final Pattern JOB_SECONDS = Pattern.compile("(?:DONE in|page_stats rows \\d+ in) ([0-9.]+) s");

  /** Flink 1.19's module openings on Java 17 (as in the Flink runner jar's manifest). */
  static final List<String> FLINK_OPENS = List.of("java.base/java.lang", "java.base/java.net", "java.base/java.io",
      "java.base/java.nio", "java.base/sun.nio.ch", "java.base/java.lang.reflect", "java.base/java.text",
      "java.base/java.time", "java.base/java.util", "java.base/java.util.concurrent",
      "java.base/java.util.concurrent.atomic", "java.base/java.util.concurrent.locks");

  record Config(String name, List<String> command) {}

  record Measurement(String config, int run, double wallSeconds, double jobSeconds, double cpuSeconds,
      long peakRssBytes, long pageStatsRows, boolean sameAsBaseline, List<RssSample> rss) {}

  /** The process's resident memory {@code seconds} after it started. */
  record RssSample(double seconds, long rssBytes) {}

  /** The templates run beside clickstream-analytics, each against its plain-Java baseline. */
  static final List<String> OTHER_TEMPLATES = List.of("log-analytics", "predictive-maintenance",
      "patient-monitoring", "campaign-analytics");

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>(Map.of(
        "events", "1000000", "runs", "3", "runners", "direct,flink,spark", "results", "benchmarks/results",
        "profile", "false", "latencyRates", "10000,40000", "latencySeconds", "30",
        "latencyRunners", "flink,spark"));
    options.put("templates", String.join(",", OTHER_TEMPLATES));
    options.put("fraudAccounts", "10000");
    options.put("readme", "false");
    options.put("directScaleEvents", "5000000");
    for (String arg : args) {
      if (arg.equals("--help")) {
        System.out.println("bin/millrace-bench [--events=1000000] [--runs=3] [--runners=direct,flink,spark]"
            + " [--results=benchmarks/results] [--profile=true] [--latencyRates=10000,40000]"
            + " [--latencySeconds=30] [--latencyRunners=flink,spark]"
            + " [--templates=" + String.join(",", OTHER_TEMPLATES) + "] [--fraudAccounts=10000]"
            + " [--directScaleEvents=5000000] [--readme=true]"
            + " (--readme=true writes this run's targets table into README.md, between its millrace-bench markers;"
            + " --latencyRates= skips the streaming latency runs; each latency runner must also be in --runners;"
            + " --templates= and --fraudAccounts= skip those templates' runs against their baselines;"
            + " with direct in --runners, one more Direct run of clickstream at --directScaleEvents (when above"
            + " --events; --directScaleEvents= skips it) gives its peak RSS against this size's)\n"
            + "bin/millrace-bench --template=NAME[,NAME...]|all [...]: any template per runner, against the DirectRunner"
            + " (--template=all --help)\nbin/millrace-bench fraud [...]: fraud-detection against its plain Java"
            + " baseline\nbin/millrace-bench soak [...]: memory over a long unbounded run on the local Flink cluster");
        return;
      }
      Matcher m = Pattern.compile("--(\\w+)=(.*)").matcher(arg);
      if (!m.matches() || !options.containsKey(m.group(1))) {
        System.err.println("millrace-bench: unknown argument " + arg + " (see --help)");
        System.exit(2);
      }
      options.put(m.group(1), m.group(2));
    }
    long events = Long.parseLong(options.get("events"));
    int runs = Integer.parseInt(options.get("runs"));
    Path root = Paths.get(System.getProperty("millrace.root", ".")).toAbsolutePath().normalize();
    Path work = root.resolve("benchmarks/target/bench");
    Files.createDirectories(work);
    Path input = work.resolve("clicks-" + events + ".jsonl");
    long records = generate(input, events);

    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<Config> configs = new ArrayList<>();
    configs.add(new Config("baseline-java", baseline(java, PlainJavaBaseline.class, input.toString())));
    if (List.of(options.get("runners").split(",")).contains("flink")) {
      List<String> command = new ArrayList<>(List.of(java));
      command.addAll(baselineJvmOptions());
      // A Flink job as ours are: the collector bin/millrace gives them (34.4/34.9 s against 36.5/36.5 s
      // with G1 on 1M events, by hand).
      command.addAll(jobGcOptions());
      for (String opens : FLINK_OPENS) {
        command.add("--add-opens=" + opens + "=ALL-UNNAMED");
      }
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), NativeFlinkBaseline.class.getName(),
          input.toString()));
      configs.add(new Config("baseline-flink", command));
    }
    for (String runner : options.get("runners").split(",")) {
      warmUp(root, runner, work);
      configs.add(new Config("millrace-" + runner,
          millrace(root, runner, "run", "clickstream-analytics", "--source=file", "--input=" + input)));
    }

    System.out.printf("millrace-bench: %,d events (%,d records, %,d MB) x %d run(s) on %s%n", events, records,
        Files.size(input) >> 20, runs, machine());
    boolean profile = Boolean.parseBoolean(options.get("profile"));
    StringBuilder hotSpots = new StringBuilder();
    List<Measurement> measurements = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      List<String> baselineRows = null;
      for (Config config : configs) {
        Path output = work.resolve("out").resolve(config.name() + "-" + run);
        deleteTree(output);
        List<String> command = new ArrayList<>(config.command());
        command.add(config.name().startsWith("baseline-") ? output.toString() : "--output=" + output);
        Path recording = work.resolve(config.name() + "-" + run + ".jfr");
        if (profile) {
          // Java Flight Recorder's sampling profile of the whole process; bin/millrace passes
          // MILLRACE_JAVA_OPTS to its java (env execs the script, the script execs java: one process).
          String flag = "-XX:StartFlightRecording=filename=" + recording + ",settings=profile";
          if (command.get(0).endsWith("/bin/millrace")) {
            command.addAll(0, List.of("env", "MILLRACE_JAVA_OPTS=" + flag));
          } else {
            command.add(1, flag);
          }
        }
        Measurement m = measure(config.name(), run, command, output, work.resolve(config.name() + "-" + run + ".log"));
        List<String> rows = pageStats(output);
        if (baselineRows == null) {
          baselineRows = rows;
        }
        m = new Measurement(m.config(), run, m.wallSeconds(), m.jobSeconds(), m.cpuSeconds(), m.peakRssBytes(),
            rows.size(), rows.equals(baselineRows), m.rss());
        measurements.add(m);
        System.out.printf("  run %d %-16s wall %6.1f s, job %6.1f s, cpu %6.1f s, peak RSS %,6d MB, %,d rows%s%n",
            run, m.config(), m.wallSeconds(), m.jobSeconds(), m.cpuSeconds(), m.peakRssBytes() >> 20,
            m.pageStatsRows(), m.sameAsBaseline() ? ", same as baseline" : ", DIFFERENT FROM BASELINE");
        deleteTree(output);
        if (profile && run == 1) {
          hotSpots.append(Profiles.topMethods(config.name(), recording, 12));
        }
      }
    }
    Targets.ScaleRun directAtScale = directAtScale(configs, options.get("directScaleEvents"), events, input, work);
    Path results = root.resolve(options.get("results"));
    Files.createDirectories(results);
    // Streaming latency per runner, the same unbounded synthetic job and rates on each.
    Map<String, List<StreamingLatency.Result>> latency = new LinkedHashMap<>();
    for (String runner : List.of("flink", "spark")) {
      Config fileJob = configs.stream().filter(c -> c.name().equals("millrace-" + runner)).findFirst().orElse(null);
      if (fileJob == null || options.get("latencyRates").isBlank()
          || !List.of(options.get("latencyRunners").split(",")).contains(runner)) {
        continue;
      }
      List<String> job = new ArrayList<>(fileJob.command().subList(0, fileJob.command().indexOf("--source=file")));
      job.addAll(embedded(runner));
      if (runner.equals("spark")) {
        job.add("--streaming=true");
      }
      for (String rate : options.get("latencyRates").split(",")) {
        StreamingLatency.Result r = StreamingLatency.measure(runner, job, work, Double.parseDouble(rate),
            Integer.parseInt(options.get("latencySeconds")));
        System.out.printf("  %s latency at %s events/s: %d windows, p50 %.1f s, p95 %.1f s, p99 %.1f s%n",
            runner, rate, r.windows(), r.p50() / 1000, r.p95() / 1000, r.p99() / 1000);
        latency.computeIfAbsent(runner, k -> new ArrayList<>()).add(r);
      }
    }
    StringBuilder latencyTables = new StringBuilder();
    latency.forEach((runner, rows) -> latencyTables.append(StreamingLatency.table(runner, rows)));
    List<String> runners = List.of(options.get("runners").split(","));
    // The other templates against their plain-Java baselines, same size, runs and runners: every
    // target's ratio in this one run.
    List<String> templates = options.get("templates").isBlank() ? List.of()
        : List.of(options.get("templates").split(","));
    TemplateBenchmark.Report templateReport = templates.isEmpty() ? null
        : TemplateBenchmark.run(templates, runners, events, runs, root);
    FraudBenchmark.Report fraudReport = options.get("fraudAccounts").isBlank() ? null
        : FraudBenchmark.run(events, List.of(Integer.parseInt(options.get("fraudAccounts"))), runners, runs, root);
    Map<String, Double> fraudSpeeds = fraudReport == null ? Map.of()
        : fraudReport.speedVsJava().values().iterator().next();
    Map<String, Double> jobSeconds = new LinkedHashMap<>();
    Map<String, Long> peakRssMb = new LinkedHashMap<>();
    for (Config c : configs) {
      jobSeconds.put(c.name(), medianOf(measurements, c.name(), Measurement::jobSeconds));
      peakRssMb.put(c.name(), Math.round(medianOf(measurements, c.name(), m -> m.peakRssBytes() >> 20)));
    }
    List<Targets.Target> targets = Targets.judge(jobSeconds, peakRssMb, events, records, directAtScale,
        latency.getOrDefault("flink", List.of()), Integer.parseInt(options.get("latencySeconds")),
        templateReport == null ? Map.of() : templateReport.speedVsJava(),
        fraudReport == null ? 10_000 : Integer.parseInt(options.get("fraudAccounts")),
        fraudSpeeds);
    // Every template's speed against its plain-Java baseline, clickstream's and fraud-detection's included.
    Map<String, Map<String, Double>> speedVsJava = new LinkedHashMap<>();
    Map<String, Double> clickstreamSpeeds = new LinkedHashMap<>();
    jobSeconds.forEach((config, seconds) -> clickstreamSpeeds.put(config, jobSeconds.get("baseline-java") / seconds));
    speedVsJava.put("clickstream-analytics", clickstreamSpeeds);
    if (templateReport != null) {
      speedVsJava.putAll(templateReport.speedVsJava());
    }
    if (fraudReport != null) {
      speedVsJava.put("fraud-detection", fraudSpeeds);
    }
    String table = report(measurements, configs, records) + latencyTables
        + (templateReport == null ? "" : templateReport.table()) + (fraudReport == null ? "" : fraudReport.table())
        + Targets.table(targets) + hotSpots;
    StringBuilder sections = new StringBuilder();
    if (templateReport != null) {
      sections.append(",\n  \"templates\": ").append(templateReport.json());
    }
    if (fraudReport != null) {
      sections.append(",\n  \"fraud_detection\": ").append(fraudReport.json());
    }
    if (directAtScale != null) {
      sections.append(String.format(Locale.ROOT,
          ",%n  \"direct_at_scale\": {\"events\": %d, \"records\": %d, \"job_s\": %.2f, \"peak_rss_mb\": %d}",
          directAtScale.events(), directAtScale.records(), directAtScale.jobSeconds(), directAtScale.peakRssMb()));
    }
    sections.append(",\n  \"targets\": ").append(Targets.json(targets));
    System.out.print(table);
    String stamp = Instant.now().toString().replace(":", "").replaceAll("\\.\\d+", "");
    Files.writeString(results.resolve("bench-" + stamp + ".json"),
        json(measurements, configs, records, events, runs, latency, sections.toString()));
    Files.writeString(results.resolve("bench-" + stamp + ".csv"), csv(measurements, records));
    Files.writeString(results.resolve("bench-" + stamp + ".txt"), table);
    Files.writeString(results.resolve("bench-" + stamp + ".html"),
        BenchReport.html(machine(), records, measurements, configs, latency, speedVsJava, targets));
    System.out.println("results: " + root.relativize(results.resolve("bench-" + stamp + ".json")) + " (.csv, .txt, .html)");
    if (Boolean.parseBoolean(options.get("readme"))) {
      Path readme = root.resolve("README.md");
      Files.writeString(readme, Targets.intoReadme(Files.readString(readme), Targets.markdown(targets,
          String.format(Locale.ROOT, "`bin/millrace-bench %s` on %s, %s (%s); %,d records, %d run(s), medians",
              String.join(" ", args), machine(), stamp, "bench-" + stamp + ".json", records, runs))));
      System.out.println("README.md: the targets table is this run's");
    }
    if (measurements.stream().anyMatch(m -> !m.sameAsBaseline())) {
      System.err.println("millrace-bench: some runs did not give the baseline's page_stats");
      System.exit(1);
    }
    if (templateReport != null && !templateReport.allSame() || fraudReport != null && !fraudReport.allSame()) {
      System.err.println("millrace-bench: some template runs did not give their reference's rows");
      System.exit(1);
    }
  }

  /**
   * One run of the Direct config over {@code scaleEvents} events (written like the main input), when
   * Direct is among the configs and {@code scaleEvents} is above {@code events}: the memory target asks
   * whether its peak RSS grows with the input. The job's own accounting check must pass (exit 0).
   */
  static Targets.@Nullable ScaleRun directAtScale(List<Config> configs, String scaleEvents, long events, Path input,
      Path work) throws Exception {
    Config direct = configs.stream().filter(c -> c.name().equals("millrace-direct")).findFirst().orElse(null);
    if (direct == null || scaleEvents.isBlank() || Long.parseLong(scaleEvents) <= events) {
      return null;
    }
    long scale = Long.parseLong(scaleEvents);
    Path scaleInput = work.resolve("clicks-" + scale + ".jsonl");
    long records = generate(scaleInput, scale);
    String name = "millrace-direct-" + scale;
    Path output = work.resolve("out").resolve(name);
    deleteTree(output);
    List<String> command = new ArrayList<>();
    for (String part : direct.command()) {
      command.add(part.equals("--input=" + input) ? "--input=" + scaleInput : part);
    }
    command.add("--output=" + output);
    Measurement m = measure(name, 1, command, output, work.resolve(name + ".log"));
    deleteTree(output);
    System.out.printf("  %s wall %6.1f s, job %6.1f s, cpu %6.1f s, peak RSS %,6d MB (%,d events)%n", name,
        m.wallSeconds(), m.jobSeconds(), m.cpuSeconds(), m.peakRssBytes() >> 20, scale);
    return new Targets.ScaleRun(scale, records, m.jobSeconds(), m.peakRssBytes() >> 20);
  }

  /**
   * {@code --name=value} arguments over {@code defaults} (name, value, name, value ...): an unknown
   * name or a malformed argument prints {@code usage} and exits 2; {@code --help} prints it and exits 0.
   */
  static Map<String, String> options(String[] args, String usage, String... defaults) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < defaults.length; i += 2) {
      options.put(defaults[i], defaults[i + 1]);
    }
    for (String arg : args) {
      Matcher m = Pattern.compile("--(\\w+)=(.*)").matcher(arg);
      if (arg.equals("--help") || !m.matches() || !options.containsKey(m.group(1))) {
        System.out.println(usage);
        System.exit(arg.equals("--help") ? 0 : 2);
      }
      options.put(m.group(1), m.group(2));
    }
    return options;
  }

  /** A runner's jar: direct, flink or spark. */
  static Path jar(Path root, String runner) {
    switch (runner) {
      case "direct":
        return root.resolve("templates/target/millrace-direct.jar");
      case "flink":
        return root.resolve("runners/flink/target/millrace-flink.jar");
      case "spark":
        return root.resolve("runners/spark/target/millrace-spark.jar");
      default:
        throw new IllegalArgumentException("--runners: direct, flink or spark, not " + runner);
    }
  }

  /**
   * A plain-Java baseline's command: its JVM starts with the JIT options bin/millrace gives every job
   * ({@code bin/lib/jit.sh}, passed by bin/millrace-bench as {@code millrace.baselineJvmOptions}), so a
   * ratio compares the code, not the JVM's settings. Not bin/millrace's collector ({@code bin/lib/gc.sh}):
   * the baselines keep the JVM's default, G1, which runs them faster than the parallel collector does.
   */
  static List<String> baseline(String java, Class<?> main, String... args) {
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(baselineJvmOptions());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return command;
  }

  /** The JVM options every baseline starts with (the native Flink one too). */
  static List<String> baselineJvmOptions() {
    return jvmOptions("millrace.baselineJvmOptions");
  }

  /**
   * The collector options bin/millrace gives every job ({@code bin/lib/gc.sh}, passed by bin/millrace-bench
   * as {@code millrace.jobGcOptions}): the native Flink baseline starts with them too.
   */
  static List<String> jobGcOptions() {
    return jvmOptions("millrace.jobGcOptions");
  }

  private static List<String> jvmOptions(String property) {
    String options = System.getProperty(property, "").strip();
    return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
  }

  /**
   * A job's command as users start one: {@code bin/millrace} (the runner's jar, mapping its class-data
   * archive), {@code args}, then the options that run it on the runner embedded in the jar's JVM. The
   * script ends in {@code exec java}, so the measured process is the job's JVM.
   */
  static List<String> millrace(Path root, String runner, String... args) {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("bin/millrace").toString());
    command.addAll(List.of(args));
    command.addAll(embedded(runner));
    return command;
  }

  private static final Set<String> WARMED_UP = new HashSet<>();

  /**
   * One small job per runner before its first measured run: bin/millrace's first job of a jar's build
   * writes the jar's class-data archive (and takes seconds longer at its end doing so), so that every
   * measured run starts as a user's second and later jobs do. Once per runner and harness run.
   */
  static void warmUp(Path root, String runner, Path work) throws IOException, InterruptedException {
    if (!WARMED_UP.add(runner)) {
      return;
    }
    Path output = work.resolve("out").resolve("warm-up-" + runner);
    Path log = work.resolve("warm-up-" + runner + ".log");
    List<String> command = millrace(root, runner, "run", "clickstream-analytics", "--maxEvents=20000",
        "--output=" + output);
    int status = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
    deleteTree(output);
    if (status != 0) {
      throw new IllegalStateException("the warm-up job on " + runner + " failed (exit "
          + status + "); see " + log);
    }
  }

  /** The options that run a job on the runner embedded in its jar's JVM (Flink parallelism 2, Spark local[2]). */
  static List<String> embedded(String runner) {
    switch (runner) {
      case "flink":
        return List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
      case "spark":
        return List.of("--runner=SparkRunner", "--sparkMaster=local[2]");
      default:
        return List.of();
    }
  }

  /** Writes the input once per size: the same seed gives the same records. */
  static long generate(Path input, long events) throws IOException {
    ClickstreamGenerator generator = new ClickstreamGenerator(SyntheticClickstreamConfig.builder()
        .setSeed(42).setEventsPerSecond(100).setOutOfOrderFraction(0.1)
        .setDuplicateFraction(0.01).setMalformedFraction(0.01).build());
    return writeOnce(input, events, generator::recordsOf);
  }

  /**
   * Writes the records of positions 0..positions-1, one per line, unless the file exists (a partial
   * file is renamed into place when complete); returns the file's line count.
   */
  static long writeOnce(Path file, long positions, java.util.function.LongFunction<List<String>> recordsOf)
      throws IOException {
    if (!Files.exists(file)) {
      Path partial = file.resolveSibling(file.getFileName() + ".partial");
      try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
        for (long n = 0; n < positions; n++) {
          for (String record : recordsOf.apply(n)) {
            out.write(record);
            out.newLine();
          }
        }
      }
      Files.move(partial, file);
    }
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.count();
    }
  }

  /** Runs one process, sampling its CPU time and peak RSS from /proc every 100 ms (its RSS kept every 500 ms). */
  static Measurement measure(String config, int run, List<String> command, Path output, Path log) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    long started = System.nanoTime();
    Process process = builder.start();
    Path proc = Paths.get("/proc", String.valueOf(process.pid()));
    long peakRssKb = 0;
    long cpuTicks = 0;
    List<RssSample> rss = new ArrayList<>();
    for (int poll = 0; process.isAlive(); poll++) {
      try {
        for (String line : Files.readAllLines(proc.resolve("status"))) {
          if (line.startsWith("VmHWM:")) {
            peakRssKb = Math.max(peakRssKb, Long.parseLong(line.replaceAll("\\D", "")));
          } else if (line.startsWith("VmRSS:") && poll % 5 == 0) {
            rss.add(new RssSample((System.nanoTime() - started) / 1e9, Long.parseLong(line.replaceAll("\\D", "")) * 1024));
          }
        }
        String stat = Files.readString(proc.resolve("stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        cpuTicks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
      } catch (IOException | RuntimeException e) {
        // the process just ended
      }
      Thread.sleep(100);
    }
    double wall = (System.nanoTime() - started) / 1e9;
    String printed = Files.readString(log);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(config + " exited " + process.exitValue() + "; see " + log + ":\n" + printed);
    }
    Matcher job = JOB_SECONDS.matcher(printed);
    double jobSeconds = job.find() ? Double.parseDouble(job.group(1)) : wall;
    return new Measurement(config, run, wall, jobSeconds, cpuTicks / 100.0, peakRssKb * 1024, 0, false, rss);
  }

  static List<String> pageStats(Path output) throws IOException {
    List<String> rows = new ArrayList<>();
    for (GenericRecord r : LocalParquetFiles.readAll(output.resolve("page_stats"))) {
      StringBuilder row = new StringBuilder();
      for (String f : PAGE_STATS_FIELDS) {
        row.append(r.get(f)).append('|');
      }
      rows.add(row.toString());
    }
    rows.sort(Comparator.naturalOrder());
    return rows;
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().collect(Collectors.toList());
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static double medianOf(List<Measurement> ms, String config, java.util.function.ToDoubleFunction<Measurement> f) {
    return median(ms.stream().filter(m -> m.config().equals(config)).map(m -> f.applyAsDouble(m)).collect(Collectors.toList()));
  }

  static String report(List<Measurement> ms, List<Config> configs, long records) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%nmedians over %d run(s), %,d records; speed vs a baseline = its job time / this job time%n",
        ms.stream().mapToInt(Measurement::run).max().orElse(0), records));
    out.append(String.format("%-16s %8s %8s %11s %8s %12s %7s %9s %9s  %s%n", "config", "wall s", "job s",
        "records/s", "cpu s", "peak RSS MB", "rows", "vs java", "vs flink", "output"));
    double java = medianOf(ms, "baseline-java", Measurement::jobSeconds);
    boolean hasFlink = configs.stream().anyMatch(c -> c.name().equals("baseline-flink"));
    double flink = hasFlink ? medianOf(ms, "baseline-flink", Measurement::jobSeconds) : Double.NaN;
    for (Config c : configs) {
      double job = medianOf(ms, c.name(), Measurement::jobSeconds);
      boolean same = ms.stream().filter(m -> m.config().equals(c.name())).allMatch(Measurement::sameAsBaseline);
      out.append(String.format(Locale.ROOT, "%-16s %8.1f %8.1f %,11.0f %8.1f %,12.0f %7d %8.2fx %9s  %s%n", c.name(),
          medianOf(ms, c.name(), Measurement::wallSeconds), job, records / job,
          medianOf(ms, c.name(), Measurement::cpuSeconds), medianOf(ms, c.name(), m -> m.peakRssBytes() >> 20),
          ms.stream().filter(m -> m.config().equals(c.name())).mapToLong(Measurement::pageStatsRows).max().orElse(0),
          java / job, hasFlink ? String.format(Locale.ROOT, "%.2fx", flink / job) : "-",
          same ? "same as baseline" : "DIFFERENT"));
    }
    return out.toString();
  }

  static String machine() {
    long memKb = 0;
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memKb = Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException e) {
      // not Linux: memory unknown
    }
    return String.format("%d cores, %d GiB, Java %s (%s), %s %s", Runtime.getRuntime().availableProcessors(),
        Math.round(memKb / 1048576.0), System.getProperty("java.version"), System.getProperty("java.vm.name"),
        System.getProperty("os.name"), System.getProperty("os.arch"));
  }

  /** The run's JSON; {@code sections} (each starting with a comma) go after the latency arrays. */
  static String json(List<Measurement> ms, List<Config> configs, long records, long events, int runs,
      Map<String, List<StreamingLatency.Result>> latencyByRunner, String sections) {
    StringBuilder out = new StringBuilder("{\n");
    out.append(String.format("  \"machine\": \"%s\",%n  \"events\": %d,%n  \"records\": %d,%n  \"runs\": %d,%n",
        machine(), events, records, runs));
    out.append("  \"medians\": [\n");
    double base = medianOf(ms, configs.get(0).name(), Measurement::jobSeconds);
    double flink = configs.stream().anyMatch(c -> c.name().equals("baseline-flink"))
        ? medianOf(ms, "baseline-flink", Measurement::jobSeconds) : -1;
    for (int i = 0; i < configs.size(); i++) {
      String c = configs.get(i).name();
      double job = medianOf(ms, c, Measurement::jobSeconds);
      out.append(String.format(Locale.ROOT,
          "    {\"config\": \"%s\", \"wall_s\": %.2f, \"job_s\": %.2f, \"records_per_s\": %.0f, \"cpu_s\": %.2f,"
              + " \"peak_rss_mb\": %d, \"speed_vs_java_baseline\": %.3f, \"speed_vs_flink_baseline\": %s}%s%n",
          c, medianOf(ms, c, Measurement::wallSeconds), job, records / job, medianOf(ms, c, Measurement::cpuSeconds),
          Math.round(medianOf(ms, c, m -> m.peakRssBytes() >> 20)), base / job,
          flink > 0 ? String.format(Locale.ROOT, "%.3f", flink / job) : "null", i + 1 < configs.size() ? "," : ""));
    }
    out.append("  ],\n  \"runs_detail\": [\n");
    for (int i = 0; i < ms.size(); i++) {
      Measurement m = ms.get(i);
      out.append(String.format(Locale.ROOT,
          "    {\"config\": \"%s\", \"run\": %d, \"wall_s\": %.2f, \"job_s\": %.2f, \"cpu_s\": %.2f,"
              + " \"peak_rss_bytes\": %d, \"page_stats_rows\": %d, \"same_as_baseline\": %b}%s%n",
          m.config(), m.run(), m.wallSeconds(), m.jobSeconds(), m.cpuSeconds(), m.peakRssBytes(), m.pageStatsRows(),
          m.sameAsBaseline(), i + 1 < ms.size() ? "," : ""));
    }
    // flink_streaming_latency keeps its place (always present); spark_streaming_latency beside it.
    for (String runner : List.of("flink", "spark")) {
      List<StreamingLatency.Result> latency = latencyByRunner.getOrDefault(runner, List.of());
      if (runner.equals("spark") && latency.isEmpty()) {
        continue;
      }
      out.append("  ],\n  \"").append(runner).append("_streaming_latency\": [\n");
      for (int i = 0; i < latency.size(); i++) {
        StreamingLatency.Result r = latency.get(i);
        out.append(String.format(Locale.ROOT,
            "    {\"events_per_s\": %.0f, \"windows\": %d, \"p50_s\": %.2f, \"p95_s\": %.2f, \"p99_s\": %.2f,"
                + " \"keeps_up\": %b, \"events_per_s_in_windows\": %.0f}%s%n", r.rate(), r.windows(), r.p50() / 1000,
            r.p95() / 1000, r.p99() / 1000, r.sustained(), r.eventsPerSecondInWindows(), i + 1 < latency.size() ? "," : ""));
      }
    }
    return out.append("  ]").append(sections).append("\n}\n").toString();
  }

  static String csv(List<Measurement> ms, long records) {
    StringBuilder out = new StringBuilder("config,run,wall_s,job_s,records_per_s,cpu_s,peak_rss_bytes,page_stats_rows,same_as_baseline\n");
    for (Measurement m : ms) {
      out.append(String.format(Locale.ROOT, "%s,%d,%.2f,%.2f,%.0f,%.2f,%d,%d,%b%n", m.config(), m.run(),
          m.wallSeconds(), m.jobSeconds(), records / m.jobSeconds(), m.cpuSeconds(), m.peakRssBytes(),
          m.pageStatsRows(), m.sameAsBaseline()));
    }
    return out.toString();
  }

  static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
          Files.delete(p);
        }
      }
    }
  }
}
