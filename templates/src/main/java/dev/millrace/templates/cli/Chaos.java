package dev.millrace.templates.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.io.kinesis.KinesisProducer;
import dev.millrace.pipelines.options.Problem;
import dev.millrace.templates.catalog.TemplateCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * {@code millrace chaos TEMPLATE --input=FILE --output=DIR --faults=LIST [template options]}: a
 * fault-injection run on the local stack. Starts the Kinesis emulator and a Flink cluster of two
 * TaskManagers (and S3 for an {@code s3://} output), produces FILE into a fresh stream at a steady
 * pace, runs the template on it as a streaming job with checkpoints, injects each fault while records
 * flow, then drains the job (every window fires its final pane) and prints one JSON line.
 *
 * <p>Each fault waits for a checkpoint completed since the previous recovery, so it always has a
 * state to restore; its recovery time runs from the fault to the first checkpoint completed after it.
 */
final class Chaos {
  static final String USAGE_LINE =
      "millrace chaos TEMPLATE --input=FILE --output=DIR --faults=LIST [--rate=R] [--restartWith=\"--opt=v ...\"]"
          + " [template options]";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The faults, by their command-line names. */
  enum Fault {
    KILL_TASKMANAGER("kill-taskmanager"),
    SAVEPOINT_RESTART("savepoint-restart"),
    RESCALE("rescale"),
    KINESIS_OUTAGE("kinesis-outage"),
    S3_OUTAGE("s3-outage");

    final String label;

    Fault(String label) {
      this.label = label;
    }

    static List<Fault> parse(String list, boolean s3Output) {
      List<Fault> faults = new ArrayList<>();
      for (String name : list.split(",")) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("all")) {
          for (Fault f : values()) {
            if (f != S3_OUTAGE || s3Output) {
              faults.add(f);
            }
          }
          continue;
        }
        Fault found = Arrays.stream(values()).filter(f -> f.label.equals(n)).findFirst().orElseThrow(() ->
            new IllegalArgumentException("--faults: unknown fault '" + name + "' (kill-taskmanager, "
                + "savepoint-restart, rescale, kinesis-outage, s3-outage, all)"));
        if (found == S3_OUTAGE && !s3Output) {
          throw new IllegalArgumentException("--faults: s3-outage needs an s3:// --output");
        }
        faults.add(found);
      }
      if (faults.isEmpty()) {
        throw new IllegalArgumentException("--faults: name at least one fault");
      }
      return faults;
    }
  }

  private final PrintStream out;
  private final PrintStream err;
  private final Path root;
  private final String template;
  private final Map<String, String> own;
  private final List<String> templateArgs;
  /** The addresses of the stack {@code bin/millrace local up} started (its ports file), known once it is up. */
  private LocalEndpoints stack;
  private FlinkRest flink;
  /** bin/millrace local's state directory: its checkpoints, savepoints, and chaos's own files. */
  private final Path stateDirectory;
  private final Path work;
  private final String stream;
  private final String jobName;
  private final AtomicLong produced = new AtomicLong();
  private final AtomicReference<Exception> producerFailure = new AtomicReference<>();
  private final ReadCounter reads = new ReadCounter();
  private long maxCheckpointBytes;
  private int parallelism;
  private int rescales;

  private Chaos(PrintStream out, PrintStream err, Path root, String template, Map<String, String> own,
      List<String> templateArgs) {
    this.out = out;
    this.err = err;
    this.root = root;
    this.template = template;
    this.own = own;
    this.templateArgs = templateArgs;
    this.stream = own.getOrDefault("stream", "chaos-" + System.currentTimeMillis());
    this.jobName = "millrace-chaos-" + stream;
    this.stateDirectory = LocalEndpoints.stateDirectory(root, System.getenv());
    this.work = stateDirectory.resolve("chaos/" + stream);
    this.parallelism = Integer.parseInt(own.getOrDefault("parallelism", "2"));
  }

  @Command(name = "chaos", mixinStandardHelpOptions = true, versionProvider = MillraceCommands.Version.class,
      description = {"A streaming run of TEMPLATE on the local Flink cluster (2 TaskManagers) reading a fresh Kinesis"
          + " stream that FILE is produced into at a steady pace, with faults injected while records flow; drains"
          + " the job at the end and prints one JSON line last. Every other option goes to the template."})
  static final class ChaosCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Parameters(paramLabel = "TEMPLATE", arity = "0..1", completionCandidates = MillraceCommands.TemplateNames.class,
        description = "The template to run (see: millrace templates).")
    String template;

    @Option(names = "--input", paramLabel = "FILE", description = "The records to produce (required).")
    String input;

    @Option(names = "--output", paramLabel = "DIR|s3://BUCKET/PREFIX", description = "The job's output (required).")
    String output;

    @Option(names = "--faults", paramLabel = "LIST", description = "Comma-separated: kill-taskmanager,"
        + " savepoint-restart, rescale, kinesis-outage, s3-outage (s3:// output), all (required).")
    String faults;

    @Option(names = "--rate", paramLabel = "N", description = "Records produced per second.")
    String rate;

    @Option(names = "--stream", paramLabel = "NAME", description = "The stream's name (default: chaos-<time>).")
    String stream;

    @Option(names = "--shards", paramLabel = "N", description = "The stream's shards.")
    String shards;

    @Option(names = "--parallelism", paramLabel = "N", description = "The job's first parallelism (default: 2).")
    String parallelism;

    @Option(names = "--checkpointingInterval", paramLabel = "MS", description = "Checkpoint every this many ms.")
    String checkpointingInterval;

    @Option(names = "--outageSeconds", paramLabel = "S", description = "How long an outage lasts.")
    String outageSeconds;

    @Option(names = "--flinkJar", paramLabel = "JAR", description = "The Flink jar to submit (default: the built one).")
    String flinkJar;

    @Option(names = "--restartWith", paramLabel = "\"--opt=v ...\"",
        description = "Template options of jobs restored from a savepoint, in place of their first values.")
    String restartWith;

    @Unmatched
    List<String> templateOptions = new ArrayList<>();

    @Spec
    CommandSpec spec;

    ChaosCommand(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      List<String> args = new ArrayList<>();
      if (template != null) {
        args.add(template);
      }
      // Chaos's own checks read --name=value (every problem at once): the options given, as given.
      for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
        args.add(option.longestName() + "=" + option.getValue());
      }
      args.addAll(templateOptions);
      return run(out, err, args.toArray(new String[0]));
    }
  }

  /** The options chaos itself takes; every other option goes to the template. */
  static final List<String> OWN = List.of("input", "output", "faults", "rate", "stream", "shards", "parallelism",
      "checkpointingInterval", "outageSeconds", "flinkJar", "restartWith");

  static int run(PrintStream out, PrintStream err, String[] args) {
    if (args.length == 0 || args[0].startsWith("--")) {
      err.println("millrace chaos: name a template first: " + USAGE_LINE);
      return Millrace.USAGE;
    }
    String template = args[0];
    if (TemplateCatalog.find(template).isEmpty()) {
      err.println("millrace chaos: no template named '" + template + "' (see: millrace templates)");
      return Millrace.USAGE;
    }
    Map<String, String> own = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>();
    for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
      int eq = arg.indexOf('=');
      String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : "";
      if (OWN.contains(name)) {
        own.put(name, arg.substring(eq + 1));
      } else {
        rest.add(arg);
      }
    }
    List<Problem> problems = new ArrayList<>();
    for (String required : List.of("input", "output", "faults")) {
      if (own.get(required) == null || own.get(required).isBlank()) {
        problems.add(new Problem("--" + required, "required"));
      }
    }
    if (own.get("input") != null && !Files.isRegularFile(Paths.get(own.get("input")))) {
      problems.add(new Problem("--input", "no such file: " + own.get("input")));
    }
    for (String name : List.of("rate", "shards", "parallelism", "checkpointingInterval", "outageSeconds")) {
      if (own.containsKey(name) && !own.get(name).matches("[1-9][0-9]*")) {
        problems.add(new Problem("--" + name, "a positive whole number, not '" + own.get(name) + "'"));
      }
    }
    for (String arg : restartWith(own)) {
      if (!arg.matches("--[A-Za-z][A-Za-z0-9]*=.*")) {
        problems.add(new Problem("--restartWith", "template options written --name=value, not '" + arg + "'"));
      }
    }
    for (String arg : concat(rest, restartWith(own))) {
      if (arg.startsWith("--runner") || arg.startsWith("--source=") || arg.startsWith("--streaming")
          || arg.startsWith("--flinkMaster")) {
        // The whole argument, as given: "--runner=DirectRunner: chaos always runs ...".
        problems.add(new Problem(arg, "chaos always runs the template on the local Flink cluster, streaming from Kinesis"));
      }
    }
    try {
      if (own.get("faults") != null) {
        Fault.parse(own.get("faults"), String.valueOf(own.get("output")).startsWith("s3://"));
      }
    } catch (IllegalArgumentException e) {
      e.getMessage().lines().map(Problem::parse).forEach(problems::add);
    }
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("millrace chaos: " + p));
      err.println("usage: " + USAGE_LINE);
      return Millrace.USAGE;
    }
    Path root = Paths.get(System.getenv().getOrDefault("MILLRACE_ROOT", ".")).toAbsolutePath().normalize();
    try {
      return new Chaos(out, err, root, template, own, rest).execute();
    } catch (Exception e) {
      err.println("millrace chaos: " + Millrace.rootMessage(e));
      return Millrace.JOB_FAILED;
    }
  }

  /** The template options that jobs resubmitted from a savepoint take in place of their first values. */
  static List<String> restartWith(Map<String, String> own) {
    String value = own.getOrDefault("restartWith", "").trim();
    return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * The template options of a submission: the first job's, and for a job restored from a savepoint
   * those of {@code --restartWith} over them (an option given there replaces its first value).
   */
  static List<String> templateArgs(List<String> first, List<String> restartWith, boolean restored) {
    if (!restored || restartWith.isEmpty()) {
      return first;
    }
    List<String> names = restartWith.stream().map(a -> a.substring(0, a.indexOf('=') + 1)).toList();
    List<String> args = new ArrayList<>(first.stream().filter(a -> names.stream().noneMatch(a::startsWith)).toList());
    args.addAll(restartWith);
    return args;
  }

  private int execute() throws Exception {
    String output = own.get("output");
    boolean s3 = output.startsWith("s3://");
    List<Fault> faults = Fault.parse(own.get("faults"), s3);
    List<String> records = Files.readAllLines(Paths.get(own.get("input")), StandardCharsets.UTF_8);
    Files.createDirectories(work);
    int shards = Integer.parseInt(own.getOrDefault("shards", "2"));
    // A steady pace that spreads the input over about 30 s per fault (and 30 s more).
    long rate = own.containsKey("rate") ? Long.parseLong(own.get("rate"))
        : Math.max(20, Math.min(5_000, records.size() / (30L * (faults.size() + 1))));

    progress("starting the local stack (Kinesis, Flink with 2 TaskManagers%s)", s3 ? ", S3" : "");
    List<String> up = new ArrayList<>(List.of("up", "--kinesis", "--flink", "--taskmanagers=2"));
    if (s3) {
      up.add("--s3");
    }
    local(up.toArray(new String[0]));
    local("start-taskmanager", "1");
    local("start-taskmanager", "2");
    stack = LocalEndpoints.started(root, System.getenv());
    flink = new FlinkRest("http://" + stack.flinkMaster());

    // The producer waits out a paused emulator in one attempt, so the outage adds no copies of records
    // (a timed-out attempt would be applied on resume and sent again).
    Duration attemptTimeout = Duration.ofSeconds(Math.max(60, outageSeconds() + 30L));
    try (KinesisClient kinesis = Produce.client(PipelineOptionsFactory
        .fromArgs("--kinesisEndpoint=" + stack.kinesisEndpoint()).as(Produce.ProduceOptions.class), attemptTimeout)) {
      KinesisProducer producer = new KinesisProducer(kinesis, stream);
      if (!producer.ensureStream(shards)) {
        throw new IllegalStateException("the stream " + stream + " already exists; chaos needs a fresh one");
      }
      progress("stream %s (%d shards); producing %,d records at %,d records/s", stream, shards, records.size(), rate);

      String job = submit(null);
      try {
        return drive(job, producer, records, rate, faults, output);
      } catch (Exception e) {
        // Leave no job of a failed run behind on the cluster.
        var running = flink.job(jobName, "RUNNING", "RESTARTING", "CREATED", "INITIALIZING");
        if (running.isPresent()) {
          flink.cancel(running.get());
          progress("cancelled job %s", running.get());
        }
        throw e;
      }
    }
  }

  private int drive(String job, KinesisProducer producer, List<String> records, long rate, List<Fault> faults,
      String output) throws Exception {
    awaitCheckpointAfter(job, 0, Duration.ofMinutes(3));
    long started = System.nanoTime();
    Thread producing = new Thread(() -> produce(producer, records, rate), "chaos-producer");
    producing.setDaemon(true);
    producing.start();

    ArrayNode injected = JSON.createArrayNode();
    for (int i = 0; i < faults.size(); i++) {
      long due = records.size() * (long) (i + 1) / (faults.size() + 1);
      while (produced.get() < due && producing.isAlive()) {
        reads.poll(job);
        Thread.sleep(500);
      }
      long checkpoints = flink.completedCheckpoints(job);
      awaitCheckpointAfter(job, checkpoints, Duration.ofMinutes(3));
      Fault fault = faults.get(i);
      ObjectNode entry = injected.addObject().put("fault", fault.label).put("at_records", produced.get());
      progress("fault %d of %d: %s at %,d records produced", i + 1, faults.size(), fault.label, produced.get());
      long at = System.nanoTime();
      job = inject(fault, job, entry);
      entry.put("recovery_seconds", round((System.nanoTime() - at) / 1e9));
      progress("recovered from %s in %.1f s (%s)", fault.label, (System.nanoTime() - at) / 1e9,
          entry.path("restored_from").asText("no restore"));
    }
    producing.join();
    if (producerFailure.get() != null) {
      throw new IllegalStateException("the producer failed: " + Millrace.rootMessage(producerFailure.get()));
    }
    double produceSeconds = (System.nanoTime() - started) / 1e9;
    progress("all %,d records produced in %.0f s; waiting until the job has read them", produced.get(), produceSeconds);
    awaitAllRead(job, produced.get(), Duration.ofMinutes(10));
    reads.poll(job);
    long restarts = reads.restarts();
    progress("draining the job (the watermark moves to the end, every window fires its final pane)");
    flink.stopWithSavepoint(job, savepoints(), true, Duration.ofMinutes(5));
    String state = awaitState(job, Duration.ofMinutes(2), "FINISHED", "FAILED", "CANCELED");
    double seconds = (System.nanoTime() - started) / 1e9;

    ObjectNode result = JSON.createObjectNode();
    result.set("faults", injected);
    result.put("restarts", restarts)
        .put("job_state", state)
        .put("records_produced", produced.get())
        .put("records_read", reads.total())
        .put("records_per_second", round(produced.get() / produceSeconds))
        .put("seconds", round(seconds))
        .put("max_checkpoint_bytes", maxCheckpointBytes)
        .put("output", output);
    out.println(JSON.writeValueAsString(result));
    boolean ok = "FINISHED".equals(state) && injected.size() == faults.size();
    if (!ok) {
      err.println("millrace chaos: the job ended in state " + state + "; see " + work);
    }
    return ok ? Millrace.OK : Millrace.JOB_FAILED;
  }

  /** Injects one fault and returns the job id afterwards (a new one when the job was resubmitted). */
  private String inject(Fault fault, String job, ObjectNode entry) throws Exception {
    switch (fault) {
      case KILL_TASKMANAGER: {
        long restartsBefore = flink.restarts(job);
        long checkpoints = flink.completedCheckpoints(job);
        String victim = taskManagerOf(job);
        local("kill-taskmanager", victim);
        Thread.sleep(3_000);
        local("start-taskmanager", victim);
        entry.put("taskmanager", Integer.parseInt(victim));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (flink.restarts(job) <= restartsBefore) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the job did not restart within 3 minutes of the TaskManager kill");
          }
          Thread.sleep(500);
        }
        awaitCheckpointAfter(job, checkpoints, Duration.ofMinutes(3));
        entry.put("restored_from", flink.restoredFrom(job));
        return job;
      }
      case SAVEPOINT_RESTART:
      case RESCALE: {
        String savepoint = flink.stopWithSavepoint(job, savepoints(),
            false, Duration.ofMinutes(3));
        awaitState(job, Duration.ofMinutes(2), "FINISHED", "CANCELED", "FAILED");
        reads.poll(job);
        if (fault == Fault.RESCALE) {
          int from = parallelism;
          parallelism = rescales++ % 2 == 0 ? 1 : 3;
          entry.put("parallelism_from", from).put("parallelism_to", parallelism);
        }
        String next = submit(savepoint);
        awaitCheckpointAfter(next, 0, Duration.ofMinutes(3));
        entry.put("restored_from", savepoint);
        if (!restartWith(own).isEmpty()) {
          entry.put("restarted_with", String.join(" ", restartWith(own)));
        }
        return next;
      }
      case KINESIS_OUTAGE:
      case S3_OUTAGE: {
        String server = fault == Fault.KINESIS_OUTAGE ? "kinesis" : "s3";
        int outage = outageSeconds();
        local("pause", server);
        try {
          Thread.sleep(outage * 1_000L);
        } finally {
          local("resume", server);
        }
        entry.put("outage_seconds", outage);
        // Recovered once the job (restarted or not) completes a checkpoint after the outage.
        String current = flink.job(jobName, "RUNNING", "RESTARTING", "CREATED", "INITIALIZING").orElse(job);
        awaitCheckpointAfter(current, flink.completedCheckpoints(current), Duration.ofMinutes(3));
        entry.put("restored_from", flink.restoredFrom(current));
        return current;
      }
      default:
        throw new AssertionError(fault);
    }
  }

  /** A TaskManager (its number, as bin/millrace local names it) that runs a task of the job. */
  private String taskManagerOf(String job) throws Exception {
    for (var vertex : flink.get("/jobs/" + job).path("vertices")) {
      for (var tm : flink.get("/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/taskmanagers")
          .path("taskmanagers")) {
        String id = tm.path("taskmanager-id").asText();
        if (id.startsWith("millrace-tm-")) {
          return id.substring("millrace-tm-".length());
        }
      }
    }
    return "1";
  }

  /** Submits the template to the Flink cluster (from a savepoint when given) and returns the job id. */
  private String submit(String savepoint) throws Exception {
    Path jar = Paths.get(own.getOrDefault("flinkJar", root.resolve("runners/flink/target/millrace-flink.jar").toString()));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no Flink jar at " + jar + " (bin/millrace chaos builds it)");
    }
    List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(), "run", template,
        "--runner=FlinkRunner", "--flinkMaster=" + stack.flinkMaster(), "--attachedMode=false", "--streaming=true",
        "--source=kinesis", "--stream=" + stream, "--kinesisEndpoint=" + stack.kinesisEndpoint(), "--jobName=" + jobName,
        "--parallelism=" + parallelism,
        "--checkpointingInterval=" + own.getOrDefault("checkpointingInterval", "2000"),
        "--output=" + own.get("output")));
    if (own.get("output").startsWith("s3://") && templateArgs.stream().noneMatch(a -> a.startsWith("--endpoint="))) {
      // The S3 server chaos started (the job's TaskManagers have no AWS region or endpoint of their own).
      command.add("--endpoint=" + stack.s3Endpoint());
    }
    if (savepoint != null) {
      command.add("--savepointPath=" + savepoint);
    }
    command.addAll(templateArgs(templateArgs, restartWith(own), savepoint != null));
    Path log = work.resolve("submit-" + System.currentTimeMillis() + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("submitting the job failed:\n" + Files.readString(log));
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      var job = flink.job(jobName, "RUNNING", "CREATED", "INITIALIZING", "RESTARTING");
      if (job.isPresent()) {
        progress("job %s submitted (parallelism %d%s)", job.get(), parallelism,
            savepoint == null ? "" : ", from " + savepoint);
        return job.get();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the submitted job did not appear on the Flink cluster; see " + log);
  }

  /** Waits for a checkpoint of the job beyond {@code after} completed ones, polling reads meanwhile. */
  private void awaitCheckpointAfter(String job, long after, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String state = flink.state(job);
      if (List.of("FAILED", "CANCELED", "FINISHED").contains(state)) {
        throw new IllegalStateException("the job ended (" + state + ") while a checkpoint was awaited");
      }
      if (flink.completedCheckpoints(job) > after) {
        maxCheckpointBytes = Math.max(maxCheckpointBytes, flink.latestCheckpointBytes(job));
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no checkpoint completed within " + timeout.toSeconds() + " s (job " + state + ")");
      }
      reads.poll(job);
      Thread.sleep(500);
    }
  }

  /**
   * Waits until the job reads nothing more for 15 s (all input read), then for one more checkpoint.
   * Flink's metrics start again at 0 with every restart, so the count of records read is a guide
   * (logged), not the test: the output check is.
   */
  private void awaitAllRead(String job, long records, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long last = -1;
    long stableSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      reads.poll(job);
      long total = reads.total();
      if (total != last) {
        last = total;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(15)) {
        if (total < records) {
          progress("the job's read counters add up to %,d of %,d records (they restart with each attempt)", total, records);
        }
        awaitCheckpointAfter(job, flink.completedCheckpoints(job), Duration.ofMinutes(2));
        return;
      }
      Thread.sleep(1_000);
    }
    throw new IllegalStateException("the job was still reading after " + timeout.toMinutes() + " minutes ("
        + last + " of " + records + " records counted)");
  }

  private String awaitState(String job, Duration timeout, String... states) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      state = flink.state(job);
      if (List.of(states).contains(state)) {
        return state;
      }
      Thread.sleep(500);
    }
    return state;
  }

  /** Puts the records at {@code rate} per second, in chunks of a fifth of a second. */
  private void produce(KinesisProducer producer, List<String> records, long rate) {
    try {
      int chunk = (int) Math.max(1, rate / 5);
      long start = System.nanoTime();
      for (int from = 0; from < records.size(); from += chunk) {
        long due = start + (long) (from * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        List<String> batch = records.subList(from, Math.min(records.size(), from + chunk));
        KinesisProducer.Stats stats = producer.putAll(batch.iterator(), s -> { });
        if (stats.failed > 0) {
          throw new IllegalStateException(stats.failed + " records could not be put");
        }
        produced.set(stats.put);
      }
    } catch (Exception e) {
      producerFailure.set(e);
    }
  }

  /** The local cluster's savepoint directory. */
  private String savepoints() {
    return stateDirectory.resolve("flink/savepoints").toUri().toString();
  }

  private int outageSeconds() {
    return Integer.parseInt(own.getOrDefault("outageSeconds", "30"));
  }

  private void local(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("bin/millrace-local").toString()));
    command.addAll(List.of(args));
    Path log = work.resolve("local.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("bin/millrace local " + String.join(" ", args) + " failed; see " + log);
    }
  }

  private void progress(String format, Object... args) {
    err.printf("millrace chaos: " + format + "%n", args);
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  /**
   * Beam's records_read counter summed over every attempt of every job of the run: Flink's metrics
   * start again at 0 when a job restarts or is resubmitted. So it counts records read again after a
   * restore twice; whether the output counts them twice is what the output check decides.
   */
  private final class ReadCounter {
    private String job;
    private long restarts;
    private long base;
    private long current;
    private final Map<String, Long> restartsByJob = new LinkedHashMap<>();

    void poll(String job) {
      try {
        long r = flink.restarts(job);
        restartsByJob.merge(job, r, Math::max);
        long value = flink.beamCounter(job, "records_read");
        // A new attempt starts its counters at 0. A lower value within one attempt is a metrics
        // snapshot that missed a subtask, not a restart: counting it as one added the attempt's
        // count again at each such glitch, so the total never settled.
        if (!job.equals(this.job) || r != restarts) {
          base += current;
          current = 0;
          this.job = job;
          restarts = r;
        }
        current = Math.max(current, value);
      } catch (IOException | InterruptedException | RuntimeException e) {
        // The REST API is briefly unavailable while a job restarts: try at the next poll.
      }
    }

    long total() {
      return base + current;
    }

    /** Restarts of every job of the run (Flink's numRestarts; resubmissions are faults, not restarts). */
    long restarts() {
      return restartsByJob.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
