package dev.millrace.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Spark 3.5 standalone cluster from Maven jars: a master and one worker of 2 cores. Spark's worker
 * builds each executor's classpath from {@code $SPARK_HOME/jars}, and no Spark distribution is served
 * here, so the cluster's home is a directory of links to the resolved jars.
 */
final class SparkCluster implements Service {
  private static final String[] OPENS = {"java.base/java.lang", "java.base/java.lang.invoke",
      "java.base/java.lang.reflect", "java.base/java.io", "java.base/java.net", "java.base/java.nio",
      "java.base/java.util", "java.base/java.util.concurrent", "java.base/java.util.concurrent.atomic",
      "java.base/jdk.internal.ref", "java.base/sun.nio.ch", "java.base/sun.nio.cs", "java.base/sun.security.action",
      "java.base/sun.util.calendar"};
  private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*[1-9]");
  private static final String LOG4J = String.join("\n",
      "rootLogger.level = info",
      "rootLogger.appenderRef.stdout.ref = console",
      "appender.console.type = Console",
      "appender.console.name = console",
      "appender.console.target = SYSTEM_ERR",
      "appender.console.layout.type = PatternLayout",
      "appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n", "");

  private final LocalStack stack;

  SparkCluster(LocalStack stack) {
    this.stack = stack;
  }

  @Override
  public String name() {
    return "spark";
  }

  private int port() {
    return stack.ports().get("SPARK");
  }

  private int uiPort() {
    return stack.ports().get("SPARK_UI");
  }

  private Path dir() {
    return stack.path("spark");
  }

  private String master() {
    return "spark://127.0.0.1:" + port();
  }

  @Override
  public void start() throws IOException {
    Path dir = stack.dir("spark");
    if (running()) {
      stack.out().println("millrace local: Spark is already running (" + master() + ")");
      return;
    }
    for (int port : new int[] {port(), uiPort(), stack.ports().get("SPARK_WORKER_UI")}) {
      if (Processes.taken(port)) {
        throw new LocalStackException("port " + port + " on 127.0.0.1 is in use; stop what holds it (another Spark?) and retry");
      }
    }
    String classpath = stack.installs().classpath("spark");
    Path home = dir.resolve("home");
    deleteTree(home.resolve("jars"));
    Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    Files.createDirectories(dir.resolve("work"));
    for (String jar : classpath.split(":")) {
      if (!jar.isBlank()) {
        Path target = Paths.get(jar);
        Path link = home.resolve("jars").resolve(target.getFileName());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
      }
    }
    Files.writeString(home.resolve("RELEASE"), "Spark 3.5.7 (built for Scala 2.12) assembled by millrace from Maven jars\n",
        StandardCharsets.UTF_8);
    Files.writeString(home.resolve("conf/log4j2.properties"), LOG4J, StandardCharsets.UTF_8);
    // SPARK_SCALA_VERSION: without a distribution layout the launcher cannot tell it otherwise.
    Map<String, String> env = Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.12",
        "SPARK_LOCAL_IP", "127.0.0.1", "SPARK_LOCAL_HOSTNAME", "127.0.0.1", "SPARK_WORKER_DIR", dir.resolve("work").toString());
    String cp = home.resolve("conf") + ":" + home.resolve("jars") + "/*";
    Processes.start("Spark master", dir.resolve("master.pid"), dir.resolve("master.log"),
        command(cp, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(port()),
            "--webui-port", String.valueOf(uiPort())), env, stack.root(), stack.out());
    if (!Processes.waitFor(Duration.ofSeconds(60), () -> Processes.inUse(port()))) {
      throw new LocalStackException("the Spark master did not come up; see " + dir.resolve("master.log"));
    }
    Processes.start("Spark worker", dir.resolve("worker.pid"), dir.resolve("worker.log"),
        command(cp, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--webui-port",
            String.valueOf(stack.ports().get("SPARK_WORKER_UI")), "--cores", "2", "--memory", "4g", "--work-dir",
            dir.resolve("work").toString(), master()), env, stack.root(), stack.out());
    if (!Processes.waitFor(Duration.ofSeconds(90), this::ready)) {
      throw new LocalStackException("the Spark worker did not register in 90 s; see " + dir + "/*.log");
    }
    stack.out().println("millrace local: Spark ready: web UI http://127.0.0.1:" + uiPort()
        + ", submit with --runner=SparkRunner --sparkMaster=" + master());
  }

  private List<String> command(String classpath, String main, String... args) {
    List<String> command = new ArrayList<>(List.of(stack.java()));
    command.addAll(LocalStack.opens(OPENS));
    command.addAll(List.of("-Xmx1g", "-cp", classpath, main));
    command.addAll(List.of(args));
    return command;
  }

  /** The master's web UI answers and a worker is alive. */
  boolean ready() {
    return Processes.get("http://127.0.0.1:" + uiPort() + "/json/")
        .filter(json -> json.statusCode() == 200 && ALIVE_WORKERS.matcher(json.body()).find())
        .isPresent();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  @Override
  public void stop() throws IOException {
    Processes.stop("Spark worker", dir().resolve("worker.pid"), stack.out());
    Processes.stop("Spark master", dir().resolve("master.pid"), stack.out(), port(), uiPort());
  }

  @Override
  public boolean running() {
    return Processes.isRunning(dir().resolve("master.pid"));
  }

  @Override
  public String status() {
    if (!running()) {
      return "down";
    }
    return ready() ? "up (" + master() + ", http://127.0.0.1:" + uiPort() + ")"
        : "starting or unhealthy (pid " + Processes.running(dir().resolve("master.pid")).map(ProcessHandle::pid).orElse(0L) + ")";
  }

  @Override
  public List<Path> logs() {
    return stack.logs("spark");
  }
}
