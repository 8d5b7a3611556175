package dev.millrace.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Flink 1.19 session cluster from Maven jars (no Flink distribution is served here): a JobManager (web
 * UI and REST on the FLINK port, RPC and blobs on theirs) and N TaskManagers of 2 slots; checkpoints and
 * savepoints on disk in the state directory, kept when a job is cancelled.
 */
public final class FlinkCluster implements Service {
  private static final String[] OPENS = {"java.base/java.lang", "java.base/java.net", "java.base/java.io",
      "java.base/java.nio", "java.base/sun.nio.ch", "java.base/java.lang.reflect", "java.base/java.text",
      "java.base/java.time", "java.base/java.util", "java.base/java.util.concurrent",
      "java.base/java.util.concurrent.atomic", "java.base/java.util.concurrent.locks"};
  private static final Pattern TASKMANAGERS = Pattern.compile("\"taskmanagers\"\\s*:\\s*([0-9]+)");

  private final LocalStack stack;
  private int taskManagers = 1;

  FlinkCluster(LocalStack stack) {
    this.stack = stack;
  }

  /** How many TaskManagers {@link #start} starts (1 to 9). */
  public FlinkCluster withTaskManagers(int count) {
    if (count < 1 || count > 9) {
      throw new LocalStackException("--taskmanagers: 1 to 9, not '" + count + "'");
    }
    this.taskManagers = count;
    return this;
  }

  @Override
  public String name() {
    return "flink";
  }

  private int port() {
    return stack.ports().get("FLINK");
  }

  private Path dir() {
    return stack.path("flink");
  }

  private Path jobManagerPid() {
    return dir().resolve("jobmanager.pid");
  }

  private Path taskManagerPid(int n) {
    return dir().resolve("taskmanager-" + n + ".pid");
  }

  @Override
  public void start() throws IOException {
    Path dir = stack.dir("flink");
    if (running()) {
      stack.out().println("millrace local: Flink is already running (http://127.0.0.1:" + port() + ")");
      return;
    }
    for (int port : new int[] {port(), stack.ports().get("FLINK_RPC"), stack.ports().get("FLINK_BLOB")}) {
      if (Processes.taken(port)) {
        throw new LocalStackException("port " + port + " on 127.0.0.1 is in use; stop what holds it (another Flink?) and retry");
      }
    }
    String classpath = stack.installs().classpath("flink");
    Files.createDirectories(dir.resolve("conf"));
    Files.createDirectories(dir.resolve("tmp"));
    Files.writeString(dir.resolve("conf/flink-conf.yaml"), configuration(dir), StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>(List.of(stack.java()));
    command.addAll(LocalStack.opens(OPENS));
    command.addAll(List.of("-Xmx1g", "-cp", classpath,
        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "--configDir", dir.resolve("conf").toString()));
    Processes.start("Flink JobManager", jobManagerPid(), dir.resolve("jobmanager.log"), command, Map.of(), stack.root(),
        stack.out());
    for (int n = 1; n <= taskManagers; n++) {
      startTaskManager(n);
    }
    if (!Processes.waitFor(Duration.ofSeconds(90), () -> ready(taskManagers))) {
      throw new LocalStackException("Flink did not come up in 90 s; see " + dir + "/*.log");
    }
    stack.out().println("millrace local: Flink ready: web UI http://127.0.0.1:" + port()
        + ", submit with --runner=FlinkRunner --flinkMaster=127.0.0.1:" + port());
  }

  private String configuration(Path dir) {
    return String.join("\n",
        "jobmanager.rpc.address: 127.0.0.1",
        "jobmanager.bind-host: 127.0.0.1",
        "jobmanager.rpc.port: " + stack.ports().get("FLINK_RPC"),
        "blob.server.port: " + stack.ports().get("FLINK_BLOB"),
        "rest.address: 127.0.0.1",
        "rest.bind-address: 127.0.0.1",
        "rest.port: " + port(),
        "taskmanager.host: 127.0.0.1",
        "taskmanager.bind-host: 127.0.0.1",
        "taskmanager.numberOfTaskSlots: 2",
        "parallelism.default: 2",
        "jobmanager.memory.process.size: 1600m",
        "# 3 GB per TaskManager, a tenth of its Flink memory managed (Flink's default is four tenths): the",
        "# heap state backend keeps state on the JVM heap and uses no managed memory (batch sorts do, and",
        "# spill to io.tmp.dirs when it runs short). The heap is then 1,170 MiB. With 2,560 MB and the",
        "# default share it was 410 MiB, and a streaming job at 5,000 events/s died of \"OutOfMemoryError:",
        "# Java heap space\" after 7.5 minutes (de-duplication holds every id for 10 minutes).",
        "taskmanager.memory.process.size: 3072m",
        "taskmanager.memory.managed.fraction: 0.1",
        "# Each job submitted to a TaskManager loads its own copy of the jar's classes (a Kinesis -> Parquet",
        "# job: ~8,400 classes, ~48 MB of metaspace, still held after the job ends). With Flink's default",
        "# 256 MB, the fifth streaming job with S3 output on one TaskManager (a chaos run's resubmissions)",
        "# failed with \"OutOfMemoryError: Metaspace\".",
        "taskmanager.memory.jvm-metaspace.size: 768m",
        "# Batch jobs of many shuffles (campaign-analytics: three streams joined) need more network buffers",
        "# than the default tenth of Flink memory: 128 MB failed with \"Insufficient number of network buffers\".",
        "taskmanager.memory.network.fraction: 0.25",
        "io.tmp.dirs: " + dir.resolve("tmp"),
        "web.submit.enable: true",
        "# Durable (on disk) checkpoints and savepoints, kept when a job is cancelled, so a job can be",
        "# resumed from either; a lost TaskManager is noticed within seconds, not the default 50 s.",
        "state.checkpoints.dir: file://" + dir.resolve("checkpoints"),
        "state.savepoints.dir: file://" + dir.resolve("savepoints"),
        "execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION",
        "heartbeat.interval: 2000",
        "heartbeat.timeout: 10000",
        "restart-strategy.type: fixed-delay",
        "restart-strategy.fixed-delay.attempts: 1000",
        "restart-strategy.fixed-delay.delay: 2 s",
        "cluster.evenly-spread-out-slots: true", "");
  }

  /** Starts TaskManager {@code n} with the cluster's configuration (its memory flags from Flink's own calculation). */
  public void startTaskManager(int n) throws IOException {
    Path dir = dir();
    if (!Files.isRegularFile(dir.resolve("conf/flink-conf.yaml"))) {
      throw new LocalStackException("Flink is not set up; run: bin/millrace local up --flink");
    }
    if (Processes.isRunning(taskManagerPid(n))) {
      stack.out().println("millrace local: TaskManager " + n + " is already running");
      return;
    }
    String classpath = stack.installs().classpath("flink");
    List<String> parameters = taskManagerParameters(classpath, dir.resolve("conf"));
    List<String> command = new ArrayList<>(List.of(stack.java()));
    command.addAll(LocalStack.opens(OPENS));
    command.addAll(words(parameters.get(0)));
    command.addAll(List.of("-cp", classpath, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
        "--configDir", dir.resolve("conf").toString()));
    command.addAll(words(parameters.get(1)));
    command.addAll(List.of("-D", "taskmanager.resource-id=millrace-tm-" + n));
    Processes.start("Flink TaskManager " + n, taskManagerPid(n), dir.resolve("taskmanager-" + n + ".log"), command,
        Map.of(), stack.root(), stack.out());
  }

  /** Flink's BashJavaUtils: the TaskManager's JVM flags (first) and dynamic properties (second). */
  private List<String> taskManagerParameters(String classpath, Path conf) throws IOException {
    Process process = new ProcessBuilder(stack.java(), "-cp", classpath,
        "org.apache.flink.runtime.util.bash.BashJavaUtils", "GET_TM_RESOURCE_PARAMS", "--configDir", conf.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      process.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> results = output.lines().filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
        .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length())).toList();
    if (results.size() < 2 || results.get(0).isBlank()) {
      throw new LocalStackException("Flink's BashJavaUtils printed no TaskManager parameters");
    }
    return results;
  }

  private static List<String> words(String line) {
    return Arrays.stream(line.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  /** SIGKILL, as a crashed machine would; Flink restarts the job from its last checkpoint. */
  public void killTaskManager(int n) throws IOException {
    ProcessHandle process = Processes.running(taskManagerPid(n))
        .orElseThrow(() -> new LocalStackException("TaskManager " + n + " is not running"));
    process.destroyForcibly();
    process.onExit().completeOnTimeout(process, 10, TimeUnit.SECONDS).join();
    Files.deleteIfExists(taskManagerPid(n));
    stack.out().println("millrace local: killed TaskManager " + n + " (SIGKILL)");
  }

  /** The REST API answers and at least {@code count} TaskManagers are registered. */
  boolean ready(int count) {
    return Processes.get("http://127.0.0.1:" + port() + "/overview")
        .filter(overview -> overview.statusCode() == 200)
        .map(overview -> TASKMANAGERS.matcher(overview.body()))
        .filter(m -> m.find() && Integer.parseInt(m.group(1)) >= count)
        .isPresent();
  }

  @Override
  public void stop() throws IOException {
    if (Files.isDirectory(dir())) {
      try (Stream<Path> files = Files.list(dir())) {
        for (Path pid : files.filter(f -> f.getFileName().toString().matches("taskmanager.*\\.pid")).sorted().toList()) {
          String name = pid.getFileName().toString().replaceFirst("\\.pid$", "").replace("taskmanager-", "TaskManager ");
          Processes.stop("Flink " + name, pid, stack.out());
        }
      }
    }
    Processes.stop("Flink JobManager", jobManagerPid(), stack.out(), port(), stack.ports().get("FLINK_RPC"));
  }

  @Override
  public boolean running() {
    return Processes.isRunning(jobManagerPid());
  }

  @Override
  public String status() {
    if (!running()) {
      return "down";
    }
    return ready(1) ? "up (http://127.0.0.1:" + port() + ")"
        : "starting or unhealthy (pid " + Processes.running(jobManagerPid()).map(ProcessHandle::pid).orElse(0L) + ")";
  }

  @Override
  public List<Path> logs() {
    return stack.logs("flink");
  }
}
