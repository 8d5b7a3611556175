package dev.millrace.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/millrace-bench soak [--rate=10000] [--minutes=30] [--sampleSeconds=30]}: a memory soak.
 * clickstream-analytics runs unbounded from the synthetic source at a fixed rate on the local Flink
 * cluster ({@code bin/millrace local up --flink}, started here when it is not up, and then stopped);
 * every {@code sampleSeconds} the harness reads from Flink's REST API the TaskManagers' heap in use,
 * the last completed checkpoint's state size and the records the source has emitted, and, for
 * TaskManagers of the local stack, the heap live after a full collection ({@link #liveHeap}). It
 * passes when the job kept up (read at least 95% of the rate) and, after the first third (warm-up),
 * memory is flat: the last third's largest checkpoint and largest live heap (lowest heap-in-use sample
 * without one) are within 1.25x of the middle third's.
 * The samples and the verdict go to {@code benchmarks/results/soak-<time>.json}.
 *
 * <p>De-duplication keeps each event id for its horizon (10 minutes by default), so state and heap grow
 * for that long before they can level off: a soak shorter than three horizons is not a verdict on
 * memory. Other arguments go to the job ({@code --dedupHorizon=2m} for a shorter one).
 */
public final class Soak {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JOB_NAME = "millrace-soak";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String rest;

  private Soak(String rest) {
    this.rest = rest;
  }

  /**
   * One sample: seconds since the job ran, heap in use over all TaskManagers, state size, records
   * emitted, and the heap live after a full collection (-1 when not measured).
   */
  record Sample(double seconds, long heapBytes, long heapMaxBytes, long stateBytes, long records, long liveHeapBytes) {
    Sample(double seconds, long heapBytes, long heapMaxBytes, long stateBytes, long records) {
      this(seconds, heapBytes, heapMaxBytes, stateBytes, records, -1);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>(Map.of("rate", "10000", "minutes", "30", "sampleSeconds", "30",
        "results", "benchmarks/results"));
    List<String> templateArgs = new ArrayList<>();
    for (String arg : args) {
      Matcher m = Pattern.compile("--(\\w+)=(.*)").matcher(arg);
      if (arg.equals("--help") || !m.matches()) {
        System.out.println("bin/millrace-bench soak [--rate=10000] [--minutes=30] [--sampleSeconds=30]"
            + " [--results=benchmarks/results] [clickstream-analytics options, e.g. --dedupHorizon=2m]"
            + " (on the local Flink cluster; MILLRACE_FLINK_PORT as for bin/millrace local)");
        System.exit(arg.equals("--help") ? 0 : 2);
      }
      if (options.containsKey(m.group(1))) {
        options.put(m.group(1), m.group(2));
      } else {
        templateArgs.add(arg);
      }
    }
    double rate = Double.parseDouble(options.get("rate"));
    double minutes = Double.parseDouble(options.get("minutes"));
    int sampleSeconds = Integer.parseInt(options.get("sampleSeconds"));
    Path root = Paths.get(System.getProperty("millrace.root", ".")).toAbsolutePath().normalize();
    String port = System.getenv().getOrDefault("MILLRACE_FLINK_PORT", "8081");
    Soak soak = new Soak("http://127.0.0.1:" + port);
    Path stack = Paths.get(System.getenv().getOrDefault("MILLRACE_LOCAL_DIR", root.resolve(".millrace").toString()));

    boolean started = !soak.reachable();
    if (started) {
      run(root, List.of(root.resolve("bin/millrace").toString(), "local", "up", "--flink"));
    }
    Path work = root.resolve("benchmarks/target/bench/soak");
    Benchmark.deleteTree(work);
    Files.createDirectories(work);
    String job = null;
    String failure = null;
    List<Sample> samples = new ArrayList<>();
    try {
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>(List.of(java, "-jar",
          root.resolve("runners/flink/target/millrace-flink.jar").toString(),
          "run", "clickstream-analytics", "--runner=FlinkRunner", "--flinkMaster=127.0.0.1:" + port,
          "--attachedMode=false", "--streaming=true", "--jobName=" + JOB_NAME, "--source=synthetic",
          "--maxEvents=0", "--rate=" + options.get("rate"), "--output=" + work.resolve("out")));
      command.addAll(templateArgs);
      run(root, command);
      job = soak.runningJob(Duration.ofMinutes(3));
      System.out.printf(Locale.ROOT, "millrace-bench soak: job %s at %,.0f events/s for %.0f min, a sample every %d s%n",
          job, rate, minutes, sampleSeconds);
      System.out.printf("%9s %12s %12s %12s %14s %12s%n", "seconds", "heap MB", "live MB", "state KB", "records",
          "records/s");
      long start = System.nanoTime();
      long end = start + (long) (minutes * 60e9);
      int notRunning = 0;
      while (System.nanoTime() < end) {
        Thread.sleep(sampleSeconds * 1000L);
        String state = soak.state(job);
        if (!state.equals("RUNNING")) {
          // A job that lost its TaskManager (out of memory, say) waits or restarts for ever: stop sampling it.
          System.out.printf(Locale.ROOT, "%9.0f  job %s%n", (System.nanoTime() - start) / 1e9, state);
          if (++notRunning == 3) {
            failure = "the job was " + state + " for 3 samples in a row (see the TaskManager's log)";
            break;
          }
          continue;
        }
        notRunning = 0;
        Sample s = soak.sample(job, (System.nanoTime() - start) / 1e9, liveHeap(stack.resolve("flink")));
        Sample previous = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        samples.add(s);
        System.out.printf(Locale.ROOT, "%9.0f %12d %12s %12d %,14d %12s%n", s.seconds(), s.heapBytes() >> 20,
            s.liveHeapBytes() < 0 ? "-" : String.valueOf(s.liveHeapBytes() >> 20), s.stateBytes() >> 10, s.records(), previous == null ? "" : String.format(Locale.ROOT, "%,.0f",
                (s.records() - previous.records()) / (s.seconds() - previous.seconds())));
      }
    } finally {
      if (job != null) {
        soak.send("PATCH", "/jobs/" + job + "?mode=cancel");
      }
      if (started) {
        run(root, List.of(root.resolve("bin/millrace").toString(), "local", "down", "--flink"));
      }
    }
    ObjectNode result = verdict(samples, rate);
    if (failure != null) {
      result.put("passed", false).put("summary", "soak: " + failure + "; " + result.path("summary").asText());
    }
    result.put("rate", rate).put("minutes", minutes).put("sample_seconds", sampleSeconds).put("job", JOB_NAME);
    ArrayNode rows = result.putArray("samples");
    for (Sample s : samples) {
      rows.addObject().put("seconds", s.seconds()).put("heap_bytes", s.heapBytes())
          .put("heap_max_bytes", s.heapMaxBytes()).put("live_heap_bytes", s.liveHeapBytes())
          .put("state_bytes", s.stateBytes()).put("records", s.records());
    }
    Path results = root.resolve(options.get("results"));
    Files.createDirectories(results);
    Path file = results.resolve("soak-" + Instant.now().toString().replace(":", "").replaceAll("\\.\\d+", "") + ".json");
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    System.out.println(result.path("summary").asText());
    System.out.println("results: " + root.relativize(file));
    if (!result.path("passed").asBoolean()) {
      System.exit(1);
    }
  }

  /** Kept up (95% of the rate read) and flat after warm-up (last third within 1.25x of the middle third). */
  static ObjectNode verdict(List<Sample> samples, double rate) {
    ObjectNode out = JSON.createObjectNode();
    if (samples.size() < 6) {
      out.put("passed", false).put("summary", "too few samples (" + samples.size() + ") for a verdict: run longer");
      return out;
    }
    int third = samples.size() / 3;
    List<Sample> middle = samples.subList(third, 2 * third);
    List<Sample> last = samples.subList(samples.size() - third, samples.size());
    // Flink refreshes the source's count in steps (of ~100k records here): a least-squares slope over
    // every sample, not the difference of two, is the rate.
    double meanT = samples.stream().mapToDouble(Sample::seconds).average().orElse(0);
    double meanR = samples.stream().mapToDouble(Sample::records).average().orElse(0);
    double covariance = samples.stream().mapToDouble(x -> (x.seconds() - meanT) * (x.records() - meanR)).sum();
    double variance = samples.stream().mapToDouble(x -> (x.seconds() - meanT) * (x.seconds() - meanT)).sum();
    double readRate = covariance / variance;
    // Heap in use is a saw-tooth of garbage between collections, and G1 leaves old garbage until its
    // next marking: the heap live after a full collection is the measure where the TaskManagers run
    // here; else the lows of heap in use are the nearest a REST sample comes.
    boolean live = samples.stream().allMatch(x -> x.liveHeapBytes() >= 0);
    ToLongFunction<Sample> heap = live ? Sample::liveHeapBytes : Sample::heapBytes;
    double heapMiddle = live ? middle.stream().mapToLong(heap).max().orElse(0) : middle.stream().mapToLong(heap).min().orElse(0);
    double heapLast = live ? last.stream().mapToLong(heap).max().orElse(0) : last.stream().mapToLong(heap).min().orElse(0);
    long stateMiddle = middle.stream().mapToLong(Sample::stateBytes).max().orElse(0);
    long stateLast = last.stream().mapToLong(Sample::stateBytes).max().orElse(0);
    boolean keptUp = readRate >= 0.95 * rate;
    boolean heapFlat = heapLast <= 1.25 * heapMiddle;
    boolean stateFlat = stateLast <= 1.25 * Math.max(stateMiddle, 1);
    out.put("passed", keptUp && heapFlat && stateFlat)
        .put("records_per_s", readRate).put("kept_up", keptUp)
        .put("heap_measure", live ? "live after a full GC, largest per third" : "in use, lowest per third")
        .put("heap_middle_third_low_bytes", heapMiddle).put("heap_last_third_low_bytes", heapLast)
        .put("heap_flat", heapFlat)
        .put("state_middle_third_max_bytes", stateMiddle).put("state_last_third_max_bytes", stateLast)
        .put("state_flat", stateFlat)
        .put("summary", String.format(Locale.ROOT, "soak: read %,.0f events/s of %,.0f (%s); heap %,.0f -> %,.0f MB "
                + "(middle -> last third, %s: %s); checkpoint state %,d -> %,d KB (largest: %s)", readRate, rate,
            keptUp ? "kept up" : "FELL BEHIND", heapMiddle / (1 << 20), heapLast / (1 << 20),
            live ? "live after a full GC, largest" : "in use, lowest sample", heapFlat ? "flat" : "GREW", stateMiddle >> 10, stateLast >> 10, stateFlat ? "flat" : "GREW"));
    return out;
  }

  boolean reachable() {
    try {
      get("/overview");
      return true;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  String runningJob(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode job : get("/jobs/overview").path("jobs")) {
        if (job.path("name").asText().startsWith(JOB_NAME) && job.path("state").asText().equals("RUNNING")) {
          return job.path("jid").asText();
        }
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("no running job named " + JOB_NAME + " on " + rest + " within " + timeout);
  }

  /** The job's state, or "RUNNING (tasks waiting)" while it runs without all its tasks (a TaskManager lost). */
  String state(String job) throws IOException, InterruptedException {
    JsonNode detail = get("/jobs/" + job);
    String state = detail.path("state").asText();
    for (JsonNode vertex : detail.path("vertices")) {
      if (state.equals("RUNNING") && !vertex.path("status").asText().equals("RUNNING")) {
        return "RUNNING (tasks " + vertex.path("status").asText() + ")";
      }
    }
    return state;
  }

  /**
   * The heap left after a full collection, over the TaskManagers of the local stack (their pid files
   * in {@code flinkDir}), or -1 when there are none here (a remote cluster). The collection pauses the
   * TaskManager for well under a second; jcmd comes with the JDK.
   */
  static long liveHeap(Path flinkDir) {
    long total = 0;
    boolean any = false;
    try (var pidFiles = Files.list(flinkDir)) {
      for (Path pidFile : pidFiles.filter(f -> f.getFileName().toString().matches("taskmanager-\\d+\\.pid")).toList()) {
        String pid = Files.readString(pidFile).trim();
        String jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString();
        if (exec(List.of(jcmd, pid, "GC.run")) == null) {
          continue;
        }
        String info = exec(List.of(jcmd, pid, "GC.heap_info"));
        Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info == null ? "" : info);
        if (used.find()) {
          total += Long.parseLong(used.group(1)) << 10;
          any = true;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return any ? total : -1;
  }

  /** A command's output, or null when it failed. */
  private static String exec(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  Sample sample(String job, double seconds, long liveHeapBytes) throws Exception {
    long heap = 0;
    long heapMax = 0;
    for (JsonNode tm : get("/taskmanagers").path("taskmanagers")) {
      for (JsonNode metric : get("/taskmanagers/" + tm.path("id").asText()
          + "/metrics?get=Status.JVM.Memory.Heap.Used,Status.JVM.Memory.Heap.Max")) {
        long value = (long) Double.parseDouble(metric.path("value").asText("0"));
        if (metric.path("id").asText().endsWith("Used")) {
          heap += value;
        } else {
          heapMax += value;
        }
      }
    }
    JsonNode latest = get("/jobs/" + job + "/checkpoints").path("latest").path("completed");
    long state = latest.path("state_size").asLong(latest.path("checkpointed_size").asLong(0));
    // The source's vertex is the first; what it wrote is what the job read.
    JsonNode source = get("/jobs/" + job).path("vertices").path(0);
    long records = source.path("metrics").path("write-records").asLong();
    return new Sample(seconds, heap, heapMax, state, records, liveHeapBytes);
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(rest + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }

  void send(String method, String path) throws IOException, InterruptedException {
    http.send(HttpRequest.newBuilder(URI.create(rest + path)).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void run(Path root, List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).directory(root.toFile()).inheritIO().start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }
}
