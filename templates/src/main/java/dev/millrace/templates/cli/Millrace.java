package dev.millrace.templates.cli;

import dev.millrace.io.s3.PathStyleS3ClientBuilderFactory;
import dev.millrace.pipelines.options.InvalidOptionsException;
import dev.millrace.pipelines.options.Problem;
import dev.millrace.pipelines.summary.RunSummary;
import dev.millrace.templates.catalog.RunnerDefaults;
import dev.millrace.templates.catalog.Template;
import dev.millrace.templates.catalog.TemplateCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;
import org.joda.time.format.DateTimeFormat;

/**
 * The {@code millrace} command: its entry point, and what {@code run TEMPLATE} and {@code demo} do
 * (the command line itself is {@link MillraceCommands}). Exit codes: 0 success, 1 the job failed, 2 bad
 * usage or parameters.
 */
public final class Millrace {
  static final int OK = 0;
  static final int JOB_FAILED = 1;
  static final int USAGE = 2;

  final PrintStream out;
  final PrintStream err;

  Millrace(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    quietLogging();
    System.exit(new Millrace(System.out, System.err).execute(args));
  }

  int execute(String[] args) {
    if (args.length > 0 && args[0].startsWith("--template=")) {
      // The jars as template artifacts: java -jar JAR --template=NAME ... is millrace run NAME ...
      String[] run = new String[args.length + 1];
      run[0] = "run";
      run[1] = args[0].substring("--template=".length());
      System.arraycopy(args, 1, run, 2, args.length - 1);
      return execute(run);
    }
    int code = MillraceCommands.create(this).execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * {@code millrace run NAME ...} and {@code millrace demo}: the launch parameters resolved, the job built
   * (every problem at once), checked against the runner, then run to its end and summarized.
   */
  int runTemplate(String name, String[] args, boolean demo) {
    Template<?> template = TemplateCatalog.find(name).orElseThrow();
    String command = demo ? "demo" : "run " + name;
    boolean dryRun = Arrays.asList(args).contains("--dry-run");
    args = Arrays.stream(args).filter(a -> !a.equals("--dry-run")).toArray(String[]::new);
    LaunchParameters launch = new LaunchParameters(template, System.getenv()).resolve(args);
    List<Problem> problems = new ArrayList<>(launch.problems());
    String[] resolved = withRunDefaults(name, command, template, launch);
    AwsAccess.regionProblem(resolved, AwsAccess::offlineRegion).ifPresent(problems::add);
    Job job = build(template, resolved, problems);
    if (!problems.isEmpty()) {
      for (Problem problem : problems) {
        err.println("millrace " + command + ": " + problem);
      }
      return USAGE;
    }
    if (!fitsTheRunner(command, job, args)) {
      return USAGE;
    }
    if (dryRun) {
      out.print(DryRun.describe(template, launch, job.options(), job.pipeline()));
      return OK;
    }
    String unreachable = RunnerSupport.unreachableCluster(job.options());
    if (unreachable == null) {
      unreachable = AwsAccess.unreachableLoopbackEndpoint(resolved);
    }
    if (unreachable != null) {
      err.println("millrace " + command + ": " + unreachable);
      return USAGE;
    }
    try {
      LocalStreams.ensure(job.options(), resolved, command, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JOB_FAILED;
    }
    return runToTheEnd(name, template, job, args, demo);
  }

  /** A template's job, built: its parsed options and its pipeline. */
  private record Job(PipelineOptions options, Pipeline pipeline) {}

  /**
   * The launch arguments as the job takes them: local paths made absolute, the local stack's endpoints,
   * each runner's defaults, a job name, and path-style S3 requests for an S3-compatible {@code --endpoint}.
   */
  private String[] withRunDefaults(String name, String command, Template<?> template, LaunchParameters launch) {
    String[] resolved = LocalPaths.absolute(template.optionsClass(), launch.args());
    resolved = LocalEndpoints.fromEnvironment()
        .withEndpoints(resolved, AwsAccess.usesKinesis(resolved), command, err);
    return withDefaults(
        withJobName(name, sparkRunnerDefaults(flinkRunnerDefaults(directRunnerDefaults(resolved)))),
        "--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName());
  }

  /**
   * Parses the options and builds the pipeline from the arguments no launch problem is about; the parser's
   * and the template's own (cross-field) problems join {@code problems}, less those about an option the
   * launch checks already named. Null when there are problems.
   */
  private static Job build(Template<?> template, String[] resolved, List<Problem> problems) {
    String[] usable = Arrays.stream(resolved).filter(a -> !reported(a, problems)).toArray(String[]::new);
    try {
      PipelineOptions options = OptionParsing.parse(template, usable);
      return new Job(options, template.build(options));
    } catch (IllegalArgumentException e) {
      for (Problem problem : InvalidOptionsException.problemsOf(e)) {
        if (!problems.contains(problem) && (problem.option().isEmpty() || !reported(problem.option(), problems))) {
          problems.add(problem);
        }
      }
      return null;
    }
  }

  /**
   * Whether the runner can run the job as asked (else says why); prints what it will do differently
   * (a bounded streaming run as batch, checkpoints made exact) and makes a bounded input end the job.
   */
  private boolean fitsTheRunner(String command, Job job, String[] args) {
    String unsupported = RunnerSupport.check(job.options(), job.pipeline());
    if (unsupported != null) {
      err.println("millrace " + command + ": " + unsupported);
      return false;
    }
    String batchNote = RunnerSupport.boundedRunsAsBatch(job.options(), job.pipeline());
    if (batchNote != null) {
      err.println("millrace " + command + ": " + batchNote);
    }
    RunnerSupport.endWithTheInput(job.options(), job.pipeline(), args);
    RunnerSupport.readKinesisAsSplittableOnDirect(job.options(), job.pipeline());
    try {
      RunnerSupport.checkpointToFilesWhenEmbedded(job.options(), job.pipeline(), args);
    } catch (IOException e) {
      err.println("millrace " + command + ": could not make a directory for the embedded Flink cluster's "
          + "checkpoints: " + e.getMessage());
      return false;
    }
    String checkpointWarning = RunnerSupport.keepCheckpointsExact(job.options(), job.pipeline(), args);
    if (checkpointWarning != null) {
      err.println("millrace " + command + ": " + checkpointWarning);
    }
    return true;
  }

  /**
   * Runs the job with progress until it ends (or, detached, until it is submitted), then prints and saves
   * the run summary; exits 0 only when the job is DONE and every record read is accounted for.
   */
  private int runToTheEnd(String name, Template<?> template, Job job, String[] args, boolean demo) {
    PipelineOptions options = job.options();
    out.printf("Running %s on %s%n", name, options.getRunner().getSimpleName());
    long started = System.nanoTime();
    // A second before, for filesystems whose modification times have whole seconds.
    long startedMillis = System.currentTimeMillis() - 1_000;
    PipelineResult result;
    PipelineResult.State state;
    try {
      result = job.pipeline().run();
      if (RunnerSupport.isDetached(options, args)) {
        out.println(RunnerSupport.describeDetached(options, args));
        return OK;
      }
      Progress progress = new Progress(out);
      Thread summaryWhenStopped = summaryWhenStopped(name, template, result, started, progress);
      Runtime.getRuntime().addShutdownHook(summaryWhenStopped);
      try {
        state = progress.waitUntilFinish(
            result, Duration.standardSeconds(10), RunnerSupport.endOfInput(options, job.pipeline()));
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(summaryWhenStopped);
        } catch (IllegalStateException e) {
          // Shutting down already: the hook prints the summary.
        }
      }
    } catch (RuntimeException | OutOfMemoryError e) {
      // Out of heap is the one Error worth a message: the DirectRunner throws it from the main thread
      // as well as wrapped from a worker's, and the hint says how to give the job more.
      reportJobFailure(e);
      return JOB_FAILED;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    RunSummary summary = RunSummary.of(result);
    out.println();
    out.print(
        summary.format(
            String.format("Run summary: %s, %s in %.1f s", name, state, seconds),
            template.datasets().toArray(new String[0])));
    if (seconds > 0 && summary.read() > 0) {
      out.printf("throughput: %,.0f records/s%n", summary.read() / seconds);
    }
    saveRunSummary(name, options, summary, state, seconds);
    noteEarlierRuns(template, options, startedMillis);
    if (demo) {
      Demo.printBusiestPages(out, options);
      Demo.writeReport(out, err, options);
    }
    if (state != PipelineResult.State.DONE) {
      err.println("millrace: the job ended in state " + state);
      return JOB_FAILED;
    }
    return summary.balances() ? OK : JOB_FAILED;
  }

  /**
   * What a run stopped before its end prints as it goes (Ctrl-C or a TERM signal; the usual end of an
   * unbounded run): its summary from the metrics so far, which do not count the records in flight.
   */
  private Thread summaryWhenStopped(String name, Template<?> template, PipelineResult result, long started,
      Progress progress) {
    return new Thread(() -> {
      progress.quiet();
      double seconds = (System.nanoTime() - started) / 1e9;
      try {
        out.println();
        out.print(RunSummary.of(result).formatStopped(
            String.format("Run summary: %s, STOPPED after %.1f s", name, seconds),
            template.datasets().toArray(new String[0])));
      } catch (RuntimeException e) {
        err.printf("millrace: stopped after %.1f s; no summary: %s%n", seconds, rootMessage(e));
      }
      out.flush();
    }, "millrace-summary-when-stopped");
  }

  /** Says when the output also holds files of earlier runs that this one did not replace. */
  private void noteEarlierRuns(Template<?> template, PipelineOptions options, long startedMillis) {
    String output = options.as(dev.millrace.pipelines.options.ParquetOutputOptions.class).getOutput();
    try {
      String note = EarlierRuns.note(EarlierRuns.filesBefore(output, template.datasets(), startedMillis, options));
      if (note != null) {
        err.println("millrace: note: " + note);
      }
    } catch (java.io.IOException | RuntimeException e) {
      // Only a note: an output that cannot be listed now was reported by the job itself.
    }
  }

  /** The job's root cause in one line, a hint when there is one, the stack trace on request. */
  private void reportJobFailure(Throwable e) {
    err.println("millrace: the job failed: " + rootMessage(e));
    String hint = RunnerSupport.failureHint(rootMessage(e));
    if (hint != null) {
      err.println("millrace: " + hint);
    }
    if (System.getenv("MILLRACE_STACKTRACE") != null) {
      e.printStackTrace(err);
    } else {
      err.println("(MILLRACE_STACKTRACE=1 prints the whole stack trace)");
    }
  }

  /**
   * Keeps the run's accounting with its output ({@code <output>/_runs/<template>-<time>.json}), where
   * {@code millrace report} finds it. A failure to write it is reported, not fatal.
   */
  private void saveRunSummary(String template, PipelineOptions options, RunSummary summary,
      PipelineResult.State state, double seconds) {
    String output = options.as(dev.millrace.pipelines.options.ParquetOutputOptions.class).getOutput();
    String time = DateTimeFormat.forPattern("yyyyMMdd-HHmmss").withZoneUTC().print(System.currentTimeMillis());
    try {
      org.apache.beam.sdk.io.FileSystems.setDefaultPipelineOptions(options);
      String base = output.endsWith("/") ? output : output + "/";
      org.apache.beam.sdk.io.fs.ResourceId file =
          org.apache.beam.sdk.io.FileSystems.matchNewResource(base + "_runs/" + template + "-" + time + ".json", false);
      try (java.nio.channels.WritableByteChannel channel =
          org.apache.beam.sdk.io.FileSystems.create(file, "application/json")) {
        channel.write(java.nio.ByteBuffer.wrap(
            summary.toJson(template, state.name(), seconds, new org.joda.time.Instant().toString())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
    } catch (java.io.IOException | RuntimeException e) {
      err.println("millrace: could not save the run summary under " + output + "/_runs: " + e.getMessage());
    }
  }

  /** Whether {@code arg} ({@code --name=value} or {@code --name}) is about an option with a problem. */
  private static boolean reported(String arg, List<Problem> problems) {
    if (!arg.startsWith("--")) {
      return false;
    }
    int eq = arg.indexOf('=');
    String option = eq > 0 ? arg.substring(0, eq) : arg;
    return problems.stream().anyMatch(p -> p.isAbout(option));
  }

  /**
   * Defaults for the DirectRunner when the user has not chosen: do not block in {@code run()}, so the
   * command can print progress; skip the immutability and encodability checks, which exist to catch
   * bugs in tests (the test suite keeps them on) and halve the throughput of a real run.
   */
  static String[] directRunnerDefaults(String[] args) {
    return runner(args).equals("direct")
        ? withDefaults(args, RunnerDefaults.args("direct"))
        : args;
  }

  /**
   * Defaults for the FlinkRunner: skip the defensive copy between chained operators (no Millrace
   * step mutates its input; bounded runs only, see {@link RunnerSupport#keepCheckpointsExact}), and
   * checkpoint unbounded runs every 10 s, exactly once, so a restarted job resumes from its last
   * checkpoint.
   */
  static String[] flinkRunnerDefaults(String[] args) {
    return runner(args).equals("flink")
        ? withDefaults(args, RunnerDefaults.args("flink"))
        : args;
  }

  /**
   * Defaults for the SparkRunner: cached datasets spill to disk rather than being recomputed when
   * executors run short of memory (a recomputed stage counts its records twice in Beam's metrics, seen
   * on the local cluster with 1M records: "read" doubled, and does the work twice); streaming
   * micro-batches every 2 s.
   */
  static String[] sparkRunnerDefaults(String[] args) {
    return runner(args).equals("spark") ? withDefaults(args, RunnerDefaults.args("spark")) : args;
  }

  /**
   * The runner {@code args} choose, read as bin/millrace reads it: {@code --runner=X} or {@code --runner X},
   * the last one winning (as in the launch parameters), in any case, with or without the "Runner" suffix
   * (as Beam looks runners up); returned in lower case without
   * the suffix ("direct", "flink", "spark"; Beam's test runners as "testflink", "testspark"). "direct" when
   * none is given.
   */
  static String runner(String[] args) {
    String runner = "direct";
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--runner=")) {
        runner = args[i].substring("--runner=".length());
      } else if (args[i].equals("--runner") && i + 1 < args.length) {
        runner = args[++i];
      }
    }
    String name = runner.toLowerCase(Locale.ROOT);
    return name.endsWith("runner") ? name.substring(0, name.length() - "runner".length()) : name;
  }

  /** Names the job after its template and start time, as cluster UIs list it, unless given. */
  static String[] withJobName(String template, String[] args) {
    return withDefaults(args, "--jobName=" + template + "-"
        + DateTimeFormat.forPattern("yyyyMMdd-HHmmss").withZoneUTC().print(System.currentTimeMillis()));
  }

  /** {@code args} plus each {@code --name=value} default whose option {@code args} does not set. */
  static String[] withDefaults(String[] args, String... defaults) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    for (String option : defaults) {
      String name = option.substring(0, option.indexOf('='));
      if (Arrays.stream(args).noneMatch(a -> a.equals(name) || a.startsWith(name + "="))) {
        all.add(option);
      }
    }
    return all.toArray(new String[0]);
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Beam, Hadoop and the runners log at INFO by default; a command line tool shows warnings only. */
  private static void quietLogging() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.hadoop", "error");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.parquet", "error");
    // Accumulators with Java serialization coders: equality is not needed for how they are used.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.beam.sdk.coders.SerializableCoder", "error");
    // Flink warns about every operator name longer than 80 characters.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink.metrics", "error");
    // The embedded Flink cluster's start-up warnings about what a local run does not have: Hadoop
    // configuration, delegation tokens, log files for the web UI.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink.runtime.util.HadoopUtils", "error");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink.runtime.security.token", "error");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink.runtime.webmonitor.WebMonitorUtils", "error");
    // Servers bind to loopback only: Spark would otherwise pick the first non-loopback address.
    if (System.getenv("SPARK_LOCAL_IP") == null && System.getProperty("spark.driver.host") == null) {
      System.setProperty("spark.driver.host", "127.0.0.1");
      System.setProperty("spark.driver.bindAddress", "127.0.0.1");
    }
  }
}
