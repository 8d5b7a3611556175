package dev.millrace.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code bin/millrace local}: start, stop and look at the local stack's servers. */
public final class LocalCommand {
  static final String USAGE = String.join("\n",
      "millrace local up|down|status [--kinesis] [--s3] [--flink] [--spark] [--all] [--taskmanagers=N]",
      "millrace local logs [kinesis|s3|flink|spark] [--lines=N]    (each log's path and its last lines)",
      "millrace local kill-taskmanager|start-taskmanager N     (fault injection: SIGKILL / start TaskManager N)",
      "millrace local pause|resume kinesis|s3                   (fault injection: an outage that keeps the data)",
      "",
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
      "  bin/millrace) take the ports from there.", "");
  private static final List<String> ALL = List.of("kinesis", "s3", "flink", "spark");

  private LocalCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, Paths.get(System.getProperty("millrace.root", ".")), System.getenv(), System.out, System.err));
  }

  /** Runs the command; returns its exit code (0, 1 when a server cannot be started or found, 2 for usage). */
  static int run(String[] args, Path root, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
      (args.length == 0 ? err : out).print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    try {
      LocalStack stack = LocalStack.of(root, env, out, err);
      String command = args[0];
      List<String> rest = List.of(args).subList(1, args.length);
      switch (command) {
        case "kill-taskmanager", "start-taskmanager" -> {
          if (rest.isEmpty() || !rest.get(0).matches("[1-9][0-9]*")) {
            throw new LocalStackException(command + " needs a TaskManager number (1, 2, ...)");
          }
          int n = Integer.parseInt(rest.get(0));
          if (command.equals("kill-taskmanager")) {
            stack.flink().killTaskManager(n);
          } else {
            stack.flink().startTaskManager(n);
          }
          return 0;
        }
        case "pause", "resume" -> {
          String what = rest.isEmpty() ? "" : rest.get(0);
          if (!what.equals("kinesis") && !what.equals("s3")) {
            throw new LocalStackException("pause/resume: kinesis or s3, not '" + what + "'");
          }
          Processes.signal(stack.service(what).process(), command.equals("pause") ? "STOP" : "CONT");
          out.println("millrace local: " + what + " " + (command.equals("pause") ? "paused" : "resumed"));
          return 0;
        }
        case "logs" -> {
          return logs(stack, rest, out);
        }
        case "up", "down", "status" -> {
          return lifecycle(stack, command, rest, env, out, err);
        }
        default -> {
          err.print(USAGE);
          return 2;
        }
      }
    } catch (LocalStackException e) {
      err.println("millrace local: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("millrace local: " + e);
      return 1;
    }
  }

  private static int lifecycle(LocalStack stack, String command, List<String> flags, Map<String, String> env,
      PrintStream out, PrintStream err) throws IOException {
    Set<String> chosen = new LinkedHashSet<>();
    int taskManagers = taskManagers(env.getOrDefault("MILLRACE_FLINK_TASKMANAGERS", "1"));
    for (String flag : flags) {
      if (flag.startsWith("--taskmanagers=")) {
        taskManagers = taskManagers(flag.substring("--taskmanagers=".length()));
      } else if (flag.equals("--all")) {
        chosen.addAll(ALL);
      } else if (flag.startsWith("--") && ALL.contains(flag.substring(2))) {
        chosen.add(flag.substring(2));
      } else {
        err.println("millrace local: unknown option '" + flag
            + "' (options: --kinesis, --s3, --flink, --spark, --all, --taskmanagers=N)");
        return 2;
      }
    }
    switch (command) {
      case "up" -> {
        // The default is what the README's Kinesis and S3 steps need; the clusters only when asked for.
        if (chosen.isEmpty()) {
          chosen.addAll(List.of("kinesis", "s3"));
        }
        stack.savePorts();
        stack.flink().withTaskManagers(taskManagers);
        for (String name : ALL) {
          if (chosen.contains(name)) {
            stack.service(name).start();
          }
        }
      }
      case "down" -> {
        if (chosen.isEmpty()) {
          chosen.addAll(ALL);
        }
        for (String name : ALL) {
          if (chosen.contains(name)) {
            stack.service(name).stop();
          }
        }
      }
      default -> {
        for (Service service : stack.services()) {
          out.println(service.name() + ": " + service.status());
        }
      }
    }
    return 0;
  }

  private static int taskManagers(String value) {
    if (!value.matches("[1-9]")) {
      throw new LocalStackException("--taskmanagers: 1 to 9, not '" + value + "'");
    }
    return Integer.parseInt(value);
  }

  private static int logs(LocalStack stack, List<String> args, PrintStream out) throws IOException {
    int lines = 20;
    List<Service> services = new ArrayList<>();
    for (String arg : args) {
      if (arg.matches("--lines=[0-9]+")) {
        lines = Integer.parseInt(arg.substring("--lines=".length()));
      } else {
        services.add(stack.service(arg));
      }
    }
    for (Service service : services.isEmpty() ? stack.services() : services) {
      for (Path log : service.logs()) {
        // Leniently decoded: a server's log may hold bytes that are not UTF-8.
        List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        out.println("==> " + Processes.relative(stack.root(), log) + " (" + service.name() + ", " + all.size() + " lines) <==");
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(out::println);
      }
    }
    return 0;
  }
}
