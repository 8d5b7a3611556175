package dev.millrace.templates.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import dev.millrace.io.kinesis.KinesisRecordsIO;
import dev.millrace.pipelines.campaign.CampaignAnalytics;
import dev.millrace.pipelines.campaign.CampaignAnalyticsOptions;
import dev.millrace.pipelines.options.KinesisSourceOptions;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.reflect.DoFnSignature;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What each runner can and cannot do with Millrace's pipelines, checked before a job starts: a
 * combination known not to work fails at once with a clear message instead of hanging or giving
 * wrong numbers. Runner classes are matched by name so this compiles without any runner.
 */
final class RunnerSupport {
  private RunnerSupport() {}

  /** Null when the runner can run the pipeline; otherwise why not and what to do instead. */
  static String check(PipelineOptions options, Pipeline pipeline) {
    String runner = options.getRunner().getSimpleName();
    if (runner.startsWith("Spark") && isUnbounded(pipeline)) {
      // Beam 2.70's SparkRunner (DStreams) refuses DoFns with event-time timers on unbounded input
      // (its structured-streaming runner runs bounded pipelines only). Steps with a timer-free way
      // pick it themselves (RunnerCapabilities); what is left here has none yet.
      Set<String> steps = stepsWithEventTimeTimers(pipeline);
      if (!steps.isEmpty()) {
        return "the Spark runner cannot run this pipeline unbounded (streaming): Beam's SparkRunner "
            + "has no event-time timers in streaming, and " + String.join(", ", steps)
            + (steps.size() == 1 ? " uses them" : " use them")
            + ". Run it bounded on Spark (--source=file, or --maxEvents=N), or unbounded on "
            + "--runner=FlinkRunner or the DirectRunner.";
      }
    }
    return resumesASparkCheckpoint(options, pipeline);
  }

  /**
   * A bounded pipeline with {@code --streaming=true} on Spark runs as a batch job: Spark's streaming
   * mode has nothing to stream from bounded input and fails ("No output operations registered").
   * Returns a note saying so, or null when nothing changed.
   */
  static String boundedRunsAsBatch(PipelineOptions options, Pipeline pipeline) {
    StreamingOptions streaming = options.as(StreamingOptions.class);
    if (!options.getRunner().getSimpleName().startsWith("Spark") || !streaming.isStreaming() || isUnbounded(pipeline)) {
      return null;
    }
    streaming.setStreaming(false);
    return "note: the input is bounded (a file, --maxEvents, or --maxReadTime), so Spark runs this as a "
        + "batch job; --streaming=true applies to unbounded input, or to --source=kinesis with --maxRecords";
  }

  /**
   * On a Spark streaming job whose input ends (a Kinesis read with {@code --maxRecords}), what tells
   * the CLI that it has ended; null for any other job (it ends by itself, or runs until stopped).
   */
  static @Nullable InputEnd endOfInput(PipelineOptions options, Pipeline pipeline) {
    if (!options.getRunner().getSimpleName().startsWith("Spark")
        || !options.as(StreamingOptions.class).isStreaming()
        || !isUnbounded(pipeline)
        || !kinesisInputEnds(options)) {
      return null;
    }
    try {
      return (InputEnd)
          Class.forName("dev.millrace.runners.spark.SparkEndOfInput")
              .getConstructor(PipelineOptions.class)
              .newInstance(options);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this jar has the Spark runner but not Millrace's SparkEndOfInput", e);
    }
  }

  /** The top-level steps holding a DoFn with an event-time timer on unbounded input, in order. */
  static Set<String> stepsWithEventTimeTimers(Pipeline pipeline) {
    Set<String> steps = new LinkedHashSet<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            if (node.getTransform() instanceof ParDo.MultiOutput
                && node.getInputs().values().stream().anyMatch(RunnerSupport::isUnboundedCollection)
                && hasEventTimeTimer(((ParDo.MultiOutput<?, ?>) node.getTransform()).getFn())) {
              steps.add(node.getFullName().split("/", 2)[0]);
            }
          }
        });
    return steps;
  }

  private static boolean hasEventTimeTimer(DoFn<?, ?> fn) {
    DoFnSignature signature = DoFnSignatures.getSignature(fn.getClass());
    return signature.timerDeclarations().values().stream()
            .anyMatch(t -> DoFnSignatures.getTimerSpecOrThrow(t, fn).getTimeDomain() == TimeDomain.EVENT_TIME)
        || signature.timerFamilyDeclarations().values().stream()
            .anyMatch(t -> DoFnSignatures.getTimerFamilySpecOrThrow(t, fn).getTimeDomain() == TimeDomain.EVENT_TIME);
  }

  private static boolean isUnboundedCollection(PValue value) {
    return value instanceof PCollection
        && ((PCollection<?>) value).isBounded() == PCollection.IsBounded.UNBOUNDED;
  }

  /**
   * Keeps an unbounded Flink run's checkpoints exact. Beam's {@code --fasterCopy} (a Millrace default
   * on Flink, for speed) makes Flink's copy of a state value a no-op, while Flink's heap state backend
   * relies on that copy for its copy-on-write snapshots: a checkpoint then shares the live, mutable
   * window accumulators, and events added after the checkpoint barrier leak into it, to be counted a
   * second time when the job restores (seen: 1-10 events of the windows open at a TaskManager kill,
   * in 3 of 7 {@code millrace chaos} runs). So an unbounded Flink run gets {@code --fasterCopy=false},
   * unless the user asked for it; then this returns a warning to print. Null otherwise. Flink's
   * options are reached by name, as this module compiles without the Flink runner.
   */
  static String keepCheckpointsExact(PipelineOptions options, Pipeline pipeline, String[] userArgs) {
    if (!options.getRunner().getSimpleName().startsWith("Flink") || !isUnbounded(pipeline)
        || !flinkOption(options, "getFasterCopy").map(Boolean.TRUE::equals).orElse(false)) {
      return null;
    }
    if (Arrays.stream(userArgs).anyMatch(a -> a.equals("--fasterCopy") || a.startsWith("--fasterCopy="))) {
      return "warning: --fasterCopy=true in an unbounded run: Flink's checkpoints then share the running "
          + "job's window state, and a job restored after a failure can count some events twice";
    }
    flinkOption(options, "setFasterCopy", Boolean.FALSE);
    return null;
  }

  /**
   * Lets an unbounded Flink run whose input ends (a Kinesis read with {@code --maxRecords}) end with
   * it. With checkpointing on, Beam's Flink runner keeps finished sources up for ever (so that
   * checkpoints go on), and a job with a bounded source beside the stream (reference data loaded
   * once) never finished: its windows were written, the job ran on. Finished sources then shut
   * down at once ({@code --shutdownSourcesAfterIdleMs=0}; Flink 1.19 still checkpoints a job with
   * finished tasks), unless the user set it.
   */
  static void endWithTheInput(PipelineOptions options, Pipeline pipeline, String[] userArgs) {
    if (!options.getRunner().getSimpleName().startsWith("Flink") || !isUnbounded(pipeline)
        || !kinesisInputEnds(options)
        || Arrays.stream(userArgs).anyMatch(a -> a.startsWith("--shutdownSourcesAfterIdleMs"))) {
      return;
    }
    flinkOption(options, "setShutdownSourcesAfterIdleMs", Long.valueOf(0));
  }

  /** The experiment that makes Beam read an unbounded source with a splittable DoFn. */
  static final String SPLITTABLE_READ = "use_sdf_read";

  /**
   * Has the DirectRunner read an unbounded Kinesis stream as a splittable DoFn ({@code
   * --experiments=use_sdf_read}), unless the user chose a read ({@code use_deprecated_read}). The
   * runner's own unbounded read hands on 10 records a bundle, and after each bundle it scans the
   * timers of every step: predictive-maintenance's 6,005 readings from the Kinesis emulator took 49 s
   * (about 140 records/s, 1.5 cores busy, a third of the samples in the runner's timer scan), and
   * clickstream-analytics read 46 records/s behind a producer putting 300/s. Read as a splittable
   * DoFn (100 records or 1 s a bundle) the first took 12-15 s with the same rows, the second kept up.
   * The synthetic stream keeps the runner's read: it is paced, so 10 records a bundle keep up, and
   * read as a splittable DoFn it held its first windows back (clickstream-analytics at 300 events/s:
   * first file 26-32 s after the start instead of 10 s, then each window's file 3.1-3.8 s after its
   * end instead of 2.2-3.2 s). Bounded inputs and the other runners keep Beam's choice.
   */
  static void readKinesisAsSplittableOnDirect(PipelineOptions options, Pipeline pipeline) {
    if (!options.getRunner().getSimpleName().equals("DirectRunner") || !KinesisRecordsIO.readsUnbounded(pipeline)
        || ExperimentalOptions.hasExperiment(options, "use_deprecated_read")
        || ExperimentalOptions.hasExperiment(options, SPLITTABLE_READ)) {
      return;
    }
    ExperimentalOptions.addExperiment(options.as(ExperimentalOptions.class), SPLITTABLE_READ);
  }

  /**
   * Gives an unbounded job on Flink's embedded cluster ({@code --flinkMaster} {@code [local]} or {@code
   * [auto]}, the default) checkpoints in files, in a directory of the run deleted when the command
   * ends, unless the user chose a state backend. Without it Flink
   * keeps checkpoints in the JobManager's memory, which takes at most 5 MB of state per operator:
   * clickstream-analytics at 10,000 events/s passed that in its first minute (de-duplication's ids),
   * and from then on every checkpoint failed ("Size of the state is larger than the maximum permitted
   * memory-backed state"), so a failure would have restarted the job from its minute-old state. A
   * cluster's own configuration says where its checkpoints go (the local stack's in {@code
   * .millrace/flink/checkpoints}).
   */
  static void checkpointToFilesWhenEmbedded(PipelineOptions options, Pipeline pipeline, String[] userArgs)
      throws IOException {
    if (!options.getRunner().getSimpleName().startsWith("Flink") || !isUnbounded(pipeline)
        || !flinkOption(options, "getFlinkMaster").map(m -> m.equals("[local]") || m.equals("[auto]")).orElse(false)
        || flinkOption(options, "getCheckpointingInterval").map(i -> ((Long) i) <= 0).orElse(true)
        || Arrays.stream(userArgs).anyMatch(a -> a.startsWith("--stateBackend"))) {
      return;
    }
    Path dir = Files.createTempDirectory("millrace-flink-checkpoints-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
    flinkOption(options, "setStateBackend", "filesystem");
    flinkOption(options, "setStateBackendStoragePath", dir.toUri().toString());
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // a temporary directory: what is left is the system's to clean
    }
  }

  /**
   * Whether the Kinesis input has an end: {@code --maxRecords}, or campaign-analytics' own count for
   * each of its three streams. The options are the template's own view ({@link OptionParsing#parse}),
   * so only campaign-analytics' implement its interface; viewing another template's options as it
   * would fail (both declare {@code dedupHorizon}, with other defaults).
   */
  static boolean kinesisInputEnds(PipelineOptions options) {
    return options instanceof CampaignAnalyticsOptions campaign
        ? CampaignAnalytics.everyStreamEnds(campaign)
        : options.as(KinesisSourceOptions.class).getMaxRecords() > 0;
  }

  /** Flink's checkpoint-related settings as the job will get them, or null off Flink. */
  static String flinkSettings(PipelineOptions options) {
    StringBuilder settings = new StringBuilder();
    for (String name : new String[] {"fasterCopy", "checkpointingInterval", "checkpointingMode"}) {
      Optional<Object> value =
          flinkOption(options, "get" + Character.toUpperCase(name.charAt(0)) + name.substring(1));
      if (value.isEmpty()) {
        return null;
      }
      settings.append(settings.length() == 0 ? "" : " ").append("--").append(name).append('=').append(value.get());
    }
    for (String name : new String[] {"stateBackend", "stateBackendStoragePath"}) {
      flinkOption(options, "get" + Character.toUpperCase(name.charAt(0)) + name.substring(1))
          .ifPresent(value -> settings.append(" --").append(name).append('=').append(value));
    }
    return settings.toString();
  }

  /**
   * Refuses a Spark streaming run whose {@code --checkpointDir} holds the checkpoint of an earlier
   * run, as Spark would resume from it, and Beam 2.70's Spark runner does not resume exactly: a
   * clickstream-analytics job from Kinesis started again with the same directory, 4 times (3 after a
   * SIGKILL mid-run, 1 after the run had ended), over-counted 28 of 2,059 page_stats rows once
   * (records read again and not caught by de-duplication), and every restart's counters counted
   * records twice (its summary said MISMATCH, exit 1). Null when the run starts afresh, or off Spark
   * streaming.
   */
  static @Nullable String resumesASparkCheckpoint(PipelineOptions options, Pipeline pipeline) {
    if (!options.getRunner().getSimpleName().startsWith("Spark") || !isUnbounded(pipeline)) {
      return null;
    }
    return runnerOption(SPARK_OPTIONS, options, "getCheckpointDir")
        .map(dir -> sparkCheckpointRefusal(dir.toString()))
        .orElse(null);
  }

  /** Why a run must not start from {@code checkpointDir} (a Spark streaming checkpoint is in it), or null. */
  static @Nullable String sparkCheckpointRefusal(String checkpointDir) {
    String local = checkpointDir.startsWith("file:") ? checkpointDir.replaceFirst("^file:(//)?", "")
        : checkpointDir.contains("://") ? null : checkpointDir;
    if (local == null) {
      return null; // a distributed file system: Spark's to read, not this CLI's
    }
    // Beam's Spark runner keeps Spark's streaming checkpoint under this subdirectory.
    Path spark = Paths.get(local).resolve("spark-checkpoint");
    try (Stream<Path> files = Files.isDirectory(spark) ? Files.list(spark) : Stream.empty()) {
      if (files.findAny().isEmpty()) {
        return null;
      }
    } catch (IOException e) {
      return null; // unreadable: Spark will say so itself
    }
    return "--checkpointDir=" + checkpointDir + " holds the checkpoint of an earlier Spark streaming run, and "
        + "Beam 2.70's Spark runner does not resume from it exactly: in 4 restarts of a clickstream-analytics job "
        + "from Kinesis from its checkpoint (3 killed mid-run), one over-counted 28 of 2,059 page_stats rows and "
        + "every one counted records twice in its summary (docs/guarantees.md). Start afresh: a new --checkpointDir "
        + "(or none; each run gets its own) and a new --output, reading the stream from its start; or run on "
        + "--runner=FlinkRunner, which restores from checkpoints and savepoints exactly.";
  }

  private static final String SPARK_OPTIONS = "org.apache.beam.runners.spark.SparkCommonPipelineOptions";
  private static final String FLINK_OPTIONS = "org.apache.beam.runners.flink.FlinkPipelineOptions";

  /** {@link #runnerOption} of Flink's options ({@code getFasterCopy}, {@code setFasterCopy}, ...). */
  private static Optional<Object> flinkOption(PipelineOptions options, String method, Object... args) {
    return runnerOption(FLINK_OPTIONS, options, method, args);
  }

  /**
   * Calls a method of a runner's options interface (named, as this module compiles without the
   * runners) on {@code options}; empty without that runner on the classpath (a stand-in runner in a
   * test) or when the method returns nothing.
   */
  private static Optional<Object> runnerOption(String optionsClass, PipelineOptions options, String method,
      Object... args) {
    Class<? extends PipelineOptions> runnerOptions;
    try {
      runnerOptions = Class.forName(optionsClass).asSubclass(PipelineOptions.class);
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
    try {
      Class<?>[] types = Arrays.stream(args).map(Object::getClass).toArray(Class<?>[]::new);
      return Optional.ofNullable(runnerOptions.getMethod(method, types).invoke(options.as(runnerOptions), args));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("could not call " + optionsClass + "." + method, e);
    }
  }

  static boolean isUnbounded(Pipeline pipeline) {
    AtomicBoolean unbounded = new AtomicBoolean(false);
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitValue(PValue value, TransformHierarchy.Node producer) {
            if (value instanceof PCollection
                && ((PCollection<?>) value).isBounded() == PCollection.IsBounded.UNBOUNDED) {
              unbounded.set(true);
            }
          }
        });
    return unbounded.get();
  }

  /**
   * What to do about a job's failure, in this CLI's terms, or null when there is nothing to add: a job
   * out of heap (how much it had, how to give it more), or a savepoint Flink refuses. Flink keys a
   * savepoint's state by step name: a job with the same steps takes it whatever its tuning parameters
   * (window sizes, lateness, rule thresholds); one with other steps does not.
   */
  static String failureHint(String failure) {
    if (failure.startsWith("OutOfMemoryError: Java heap space")) {
      return String.format("the job needed more than this JVM's heap (%,d MB). Give it more with "
          + "MILLRACE_JAVA_OPTS=-Xmx8g (bin/millrace passes it to java). On the DirectRunner a bounded input's "
          + "state (its open windows, de-duplication ids, joins) stays in memory until the input ends; Flink's "
          + "batch runner (--runner=FlinkRunner) sorts and spills to disk instead.",
          Runtime.getRuntime().maxMemory() >> 20);
    }
    if (failure.contains("Cannot map checkpoint/savepoint state")) {
      return "the savepoint holds the state of steps this job does not have: it was taken from another "
          + "template, or with options that add or remove steps (--source, an alerts stream). Restore it into "
          + "a job of the same template and such options (tuning parameters such as --windowSize may change), "
          + "or add --allowNonRestoredState=true to start without the state of the missing steps.";
    }
    return null;
  }

  /** {@code host:port}, with {@code http://} or {@code spark://} before it or not: a cluster's address. */
  private static final Pattern CLUSTER_ADDRESS = Pattern.compile("(?:[a-z]+://)?([^:/\\[\\]\\s]+):(\\d+)/?");

  /**
   * Why the cluster the options submit to does not answer (a refused or timed-out connection to its
   * --flinkMaster or --sparkMaster), or null: an embedded cluster, or one that answers. Why: a submission
   * to a cluster that is not there retried for a minute, printing hundreds of lines of stack traces.
   */
  static @Nullable String unreachableCluster(PipelineOptions options) {
    String runner = options.getRunner().getSimpleName();
    String option;
    Optional<Object> master;
    String start;
    if (runner.startsWith("Flink")) {
      option = "--flinkMaster";
      master = flinkOption(options, "getFlinkMaster");
      start = "start the local cluster with `bin/millrace local up --flink`, or run on the embedded cluster with"
          + " --flinkMaster=[local]";
    } else if (runner.startsWith("Spark")) {
      option = "--sparkMaster";
      master = runnerOption(SPARK_OPTIONS, options, "getSparkMaster");
      start = "start the local cluster with `bin/millrace local up --spark`, or run in this JVM with"
          + " --sparkMaster=local[2]";
    } else {
      return null;
    }
    return unreachable(option, String.valueOf(master.orElse("")), start);
  }

  /** Why nothing answers at {@code master} when it is a server's address, or null; {@code advice} says what to do. */
  static @Nullable String unreachable(String option, String master, String advice) {
    Matcher address = CLUSTER_ADDRESS.matcher(master);
    if (!address.matches()) {
      return null;
    }
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(address.group(1), Integer.parseInt(address.group(2))), 3_000);
      return null;
    } catch (IOException | IllegalArgumentException e) {
      return option + ": nothing answers at " + address.group(1) + ":" + address.group(2) + " (" + e.getMessage()
          + "); " + advice;
    }
  }

  /** A Flink submission with {@code --attachedMode=false}: the command returns once it is submitted. */
  static boolean isDetached(PipelineOptions options, String[] args) {
    return options.getRunner().getSimpleName().startsWith("Flink")
        && Arrays.asList(args).contains("--attachedMode=false");
  }

  /** The job id (looked up by job name over Flink's REST API) and the web UI link of the job. */
  static String describeDetached(PipelineOptions options, String[] args) {
    String master =
        Arrays.stream(args)
            .filter(a -> a.startsWith("--flinkMaster="))
            .map(a -> a.substring("--flinkMaster=".length()))
            .findFirst()
            .orElse("127.0.0.1:8081");
    String web = master.startsWith("http") ? master : "http://" + master;
    Pattern job = Pattern.compile("\"jid\":\"([0-9a-f]+)\",\"name\":\"" + Pattern.quote(options.getJobName()) + "\"");
    HttpClient http = HttpClient.newHttpClient();
    for (int attempt = 0; attempt < 10; attempt++) {
      try {
        String overview =
            http.send(HttpRequest.newBuilder(URI.create(web + "/jobs/overview")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = job.matcher(overview);
        if (m.find()) {
          return "Submitted (detached): job " + m.group(1) + " (" + options.getJobName() + "); web UI "
              + web + "/#/job/running/" + m.group(1) + "/overview";
        }
        Thread.sleep(500);
      } catch (IOException e) {
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return "Submitted (detached): " + options.getJobName() + "; web UI " + web;
  }
}
