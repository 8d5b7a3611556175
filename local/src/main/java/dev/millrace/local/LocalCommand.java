package dev.millrace.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bin/millrace local}: start, stop and look at the local stack's servers (a picocli command). */
@Command(name = "millrace local", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    usageHelpWidth = 110, version = "millrace local: the local stack of this checkout",
    description = "Start, stop and look at the local stack's servers.",
    footer = {"",
      "Real servers on loopback, started from Maven jars and npm (no Flink or Spark distribution is served here).",
      "\"up\" with no option starts the Kinesis emulator and S3; \"down\" with no option stops every server",
      "that runs; \"status\" shows them all.",
      "  --kinesis  the Kinesis API emulator (npm kinesalite behind local/kinesis/server.js, pinned there) on",
      "           http://127.0.0.1:4568 (in memory), with the stream \"clicks\" (2 shards) created",
      "  --s3     S3Proxy, an S3-compatible server, on http://127.0.0.1:4590 (in memory), with the bucket",
      "           \"millrace\" created",
      "  --flink  a Flink 1.19 session cluster: JobManager (web UI and REST on 127.0.0.1:8081, RPC 6123,",
      "           blobs 6124) + one TaskManager with 2 slots (--taskmanagers=N for N of them); checkpoints",
      "           and savepoints go to .millrace/flink/checkpoints and .millrace/flink/savepoints",
      "  --spark  a Spark 3.5 standalone master (spark://127.0.0.1:7077, web UI 127.0.0.1:8080) + one",
      "           worker (2 cores, web UI 127.0.0.1:8082)",
      "  --all    all four",
      "State, logs and pid files live in .millrace/ at the repository root.",
      "A second stack beside the first: another state directory and other ports, from the environment:",
      "  MILLRACE_LOCAL_DIR (default .millrace), MILLRACE_KINESIS_PORT, MILLRACE_S3_PORT,",
      "  MILLRACE_FLINK_PORT, MILLRACE_FLINK_RPC_PORT, MILLRACE_FLINK_BLOB_PORT, MILLRACE_SPARK_PORT,",
      "  MILLRACE_SPARK_UI_PORT, MILLRACE_SPARK_WORKER_UI_PORT (defaults as above). \"up\" records the ports",
      "  in the state directory; while a server of that directory runs, the other commands (and",
      "  bin/millrace) take the ports from there."
    })
public final class LocalCommand implements Callable<Integer> {
  private static final List<String> ALL = List.of("kinesis", "s3", "flink", "spark");

  private final Path root;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  @Spec
  CommandSpec spec;

  private LocalCommand(Path root, Map<String, String> env, PrintStream out, PrintStream err) {
    this.root = root;
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, Paths.get(System.getProperty("millrace.root", ".")), System.getenv(), System.out, System.err));
  }

  /** Runs the command; returns its exit code (0, 1 when a server cannot be started or found, 2 for usage). */
  public static int run(String[] args, Path root, Map<String, String> env, PrintStream out, PrintStream err) {
    CommandLine command = new CommandLine(new LocalCommand(root, env, out, err))
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setExpandAtFiles(false)
        .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
          err.println("millrace local: " + (e instanceof LocalStackException ? e.getMessage() : e.toString()));
          return 1;
        });
    command.setParameterExceptionHandler((e, given) -> {
      List<String> suggestions = e instanceof CommandLine.UnmatchedArgumentException u ? u.getSuggestions() : List.of();
      err.println("millrace local: " + e.getMessage()
          + (suggestions.isEmpty() ? "" : " (did you mean " + suggestions.get(0) + "?)")
          + " (see: millrace local --help)");
      return 2;
    });
    int code = command.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Without a command: the usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(err);
    return 2;
  }

  /** The servers a command is about. */
  static final class Servers {
    @Option(names = "--kinesis", description = "The Kinesis API emulator.")
    boolean kinesis;

    @Option(names = "--s3", description = "The S3-compatible server.")
    boolean s3;

    @Option(names = "--flink", description = "The Flink session cluster.")
    boolean flink;

    @Option(names = "--spark", description = "The Spark standalone cluster.")
    boolean spark;

    @Option(names = "--all", description = "All four.")
    boolean all;

    /** Those named, in start order; {@code otherwise} when none is. */
    Set<String> chosen(List<String> otherwise) {
      Set<String> chosen = new LinkedHashSet<>();
      boolean[] flags = {kinesis, s3, flink, spark};
      for (int i = 0; i < ALL.size(); i++) {
        if (all || flags[i]) {
          chosen.add(ALL.get(i));
        }
      }
      return chosen.isEmpty() ? new LinkedHashSet<>(otherwise) : chosen;
    }
  }

  @Command(name = "up", mixinStandardHelpOptions = true,
      description = "Start servers (none named: the Kinesis emulator and S3); returns when each is ready.")
  int up(@Mixin Servers servers,
      @Option(names = "--taskmanagers", paramLabel = "N",
          description = "Flink TaskManagers, 1 to 9 (default: MILLRACE_FLINK_TASKMANAGERS, else 1).") String count)
      throws IOException {
    int taskManagers = count != null ? taskManagers(count, "--taskmanagers")
        : taskManagers(env.getOrDefault("MILLRACE_FLINK_TASKMANAGERS", "1"), "MILLRACE_FLINK_TASKMANAGERS");
    LocalStack stack = stack();
    stack.savePorts();
    stack.flink().withTaskManagers(taskManagers);
    // The default is what the README's Kinesis and S3 steps need; the clusters only when asked for.
    for (String name : servers.chosen(List.of("kinesis", "s3"))) {
      stack.service(name).start();
    }
    return 0;
  }

  @Command(name = "down", mixinStandardHelpOptions = true,
      description = "Stop servers (none named: every one that runs).")
  int down(@Mixin Servers servers) throws IOException {
    LocalStack stack = stack();
    for (String name : servers.chosen(ALL)) {
      stack.service(name).stop();
    }
    return 0;
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Whether each server runs, and where.")
  int status() throws IOException {
    for (Service service : stack().services()) {
      out.println(service.name() + ": " + service.status());
    }
    return 0;
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "Each log's path and its last lines.")
  int logs(
      @Parameters(paramLabel = "SERVER", arity = "0..*", description = "kinesis, s3, flink or spark (default: all).")
      List<String> names,
      @Option(names = "--lines", paramLabel = "N", defaultValue = "20", description = "Lines of each log (default: 20).")
      int lines) throws IOException {
    LocalStack stack = stack();
    List<Service> services = new ArrayList<>();
    for (String name : names == null ? List.<String>of() : names) {
      services.add(stack.service(name));
    }
    for (Service service : services.isEmpty() ? stack.services() : services) {
      for (Path log : service.logs()) {
        // Leniently decoded: a server's log may hold bytes that are not UTF-8.
        List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        out.println("==> " + Processes.relative(stack.root(), log) + " (" + service.name() + ", " + all.size()
            + " lines) <==");
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(out::println);
      }
    }
    return 0;
  }

  @Command(name = "kill-taskmanager", mixinStandardHelpOptions = true,
      description = "Fault injection: SIGKILL Flink TaskManager N.")
  int killTaskManager(@Parameters(paramLabel = "N", description = "The TaskManager's number (1, 2, ...).") int n)
      throws IOException {
    stack().flink().killTaskManager(checkedNumber(n, "kill-taskmanager"));
    return 0;
  }

  @Command(name = "start-taskmanager", mixinStandardHelpOptions = true,
      description = "Fault injection: start Flink TaskManager N again.")
  int startTaskManager(@Parameters(paramLabel = "N", description = "The TaskManager's number (1, 2, ...).") int n)
      throws IOException {
    stack().flink().startTaskManager(checkedNumber(n, "start-taskmanager"));
    return 0;
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Fault injection: an outage that keeps the data (the server stopped with SIGSTOP).")
  int pause(@Parameters(paramLabel = "SERVER", description = "kinesis or s3.") String name) throws IOException {
    return signal(name, "STOP", "paused");
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "End a pause (SIGCONT).")
  int resume(@Parameters(paramLabel = "SERVER", description = "kinesis or s3.") String name) throws IOException {
    return signal(name, "CONT", "resumed");
  }

  private int signal(String name, String signal, String done) throws IOException {
    if (!name.equals("kinesis") && !name.equals("s3")) {
      throw new LocalStackException("pause/resume: kinesis or s3, not '" + name + "'");
    }
    Processes.signal(stack().service(name).process(), signal);
    out.println("millrace local: " + name + " " + done);
    return 0;
  }

  private LocalStack stack() throws IOException {
    return LocalStack.of(root, env, out, err);
  }

  private static int checkedNumber(int n, String command) {
    if (n < 1) {
      throw new LocalStackException(command + " needs a TaskManager number (1, 2, ...)");
    }
    return n;
  }

  private static int taskManagers(String value, String source) {
    if (!value.matches("[1-9]")) {
      throw new LocalStackException(source + ": 1 to 9, not '" + value + "'");
    }
    return Integer.parseInt(value);
  }
}
