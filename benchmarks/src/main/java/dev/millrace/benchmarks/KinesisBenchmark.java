package dev.millrace.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.benchmarks.Benchmark.Measurement;
import dev.millrace.io.kinesis.KinesisProducer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * {@code bin/millrace-bench kinesis}: the local Kinesis path, each stage against what the emulator
 * serves a raw client in the same run. On a Kinesis emulator of its own (its own state directory and a
 * free port, started with {@code bin/millrace local up --kinesis} and stopped after), with the main
 * benchmark's synthetic clickstream file:
 *
 * <ol>
 *   <li>raw put: one thread of the AWS SDK putting the file in PutRecords calls of 500, nothing else;
 *   <li>raw read: one thread reading that stream back, shard after shard, GetRecords of 10,000;
 *   <li>produce: {@code millrace produce --source=file} into a fresh stream (its own count of seconds,
 *       JVM start left out);
 *   <li>read to Parquet: clickstream-analytics from that stream ({@code --maxRecords} = all of it) on each
 *       runner's jar, embedded as in the main benchmark; records/s over the job's own time, and its
 *       page_stats checked equal to the plain Java baseline's over the file, row for row.
 * </ol>
 *
 * The target is 5,000 records/s for produce and for the read on Flink, or 0.8x the raw client's
 * rate where the emulator itself is the ceiling.
 */
public final class KinesisBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PRODUCED =
      Pattern.compile("put ([0-9,]+) records into \\S+ in ([0-9.]+) s \\(([0-9,]+) records/s");
  private static final String USAGE = "bin/millrace-bench kinesis [--events=100000] [--shards=2]"
      + " [--runners=direct,flink,spark] [--results=benchmarks/results]";

  private KinesisBenchmark() {}

  /** A stage's rate, and how the run went. */
  record Stage(String name, long records, double seconds, Measurement measurement) {
    double recordsPerSecond() {
      return records / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Benchmark.options(args, USAGE,
        "events", "100000", "shards", "2", "runners", "direct,flink,spark", "results", "benchmarks/results");
    long events = Long.parseLong(options.get("events"));
    int shards = Integer.parseInt(options.get("shards"));
    Path root = Paths.get(System.getProperty("millrace.root", ".")).toAbsolutePath().normalize();
    Path work = root.resolve("benchmarks/target/bench-kinesis");
    Files.createDirectories(work);
    Path input = root.resolve("benchmarks/target/bench").resolve("clicks-" + events + ".jsonl");
    Files.createDirectories(input.getParent());
    long records = Benchmark.generate(input, events);
    List<String> lines = Files.readAllLines(input, StandardCharsets.UTF_8);
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    System.out.printf("millrace-bench kinesis: %,d records (%,d MB), %d shard(s), on %s%n", records,
        Files.size(input) >> 20, shards, Benchmark.machine());

    Path baselineOut = work.resolve("out/baseline-java");
    Benchmark.deleteTree(baselineOut);
    Benchmark.measure("baseline-java", 1, List.of(java, "-cp", System.getProperty("java.class.path"),
        PlainJavaBaseline.class.getName(), input.toString(), baselineOut.toString()), baselineOut,
        work.resolve("baseline-java.log"));
    List<String> baselineRows = Benchmark.pageStats(baselineOut);

    Path stack = work.resolve("stack");
    int port = freePort();
    Map<String, String> env = Map.of("MILLRACE_LOCAL_DIR", stack.toString(), "MILLRACE_KINESIS_PORT",
        String.valueOf(port));
    String endpoint = "http://127.0.0.1:" + port;
    List<Stage> stages = new ArrayList<>();
    List<Stage> reads = new ArrayList<>();
    List<String> different = new ArrayList<>();
    run(root, env, root.resolve("bin/millrace").toString(), "local", "up", "--kinesis");
    try (KinesisClient kinesis = client(endpoint)) {
      createStream(kinesis, "raw", shards);
      stages.add(rawPut(kinesis, "raw", lines));
      stages.add(rawRead(kinesis, "raw", records));

      createStream(kinesis, "produced", shards);
      Path log = work.resolve("produce.log");
      Measurement produce = Benchmark.measure("produce", 1, List.of(java, "-jar",
          root.resolve("templates/target/millrace-direct.jar").toString(), "produce", "--stream=produced",
          "--source=file", "--input=" + input, "--kinesisEndpoint=" + endpoint), work, log);
      Matcher m = PRODUCED.matcher(Files.readString(log));
      if (!m.find() || Long.parseLong(m.group(1).replace(",", "")) != records) {
        throw new IllegalStateException("produce did not put all " + records + " records; see " + log);
      }
      // Its own rate (seconds are printed to a tenth).
      stages.add(new Stage("produce", records, records / Double.parseDouble(m.group(3).replace(",", "")), produce));

      for (String runner : options.get("runners").split(",")) {
        String config = "millrace-" + runner;
        Path output = work.resolve("out").resolve(config);
        Benchmark.deleteTree(output);
        List<String> command = new ArrayList<>(List.of(java, "-jar", Benchmark.jar(root, runner).toString(),
            "run", "clickstream-analytics", "--source=kinesis", "--stream=produced", "--maxRecords=" + records,
            "--kinesisEndpoint=" + endpoint, "--allowedLateness=1h", "--output=" + output));
        command.addAll(Benchmark.embedded(runner));
        Measurement r = Benchmark.measure(config, 1, command, output, work.resolve(config + ".log"));
        if (!Benchmark.pageStats(output).equals(baselineRows)) {
          different.add(config);
        }
        Stage read = new Stage("read-" + runner, records, r.jobSeconds(), r);
        stages.add(read);
        reads.add(read);
      }
    } finally {
      run(root, env, root.resolve("bin/millrace").toString(), "local", "down", "--kinesis");
    }

    double rawPut = stages.get(0).recordsPerSecond();
    double rawRead = stages.get(1).recordsPerSecond();
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
        "%n%-14s %10s %10s %12s %12s %10s%n", "stage", "records/s", "seconds", "vs raw put", "vs raw read", "peak RSS"));
    ObjectNode json = JSON.createObjectNode();
    json.put("machine", Benchmark.machine()).put("records", records).put("events", events).put("shards", shards)
        .put("emulator", "kinesalite (local/kinesis/server.js)")
        .put("raw_put_records_per_s", rawPut).put("raw_read_records_per_s", rawRead);
    ArrayNode rows = json.putArray("stages");
    for (Stage s : stages) {
      double rate = s.recordsPerSecond();
      table.append(String.format(Locale.ROOT, "%-14s %,10.0f %10.1f %11.2fx %11.2fx %7s MB%n", s.name(), rate,
          s.seconds(), rate / rawPut, rate / rawRead,
          s.measurement() == null ? "-" : String.valueOf(s.measurement().peakRssBytes() >> 20)));
      ObjectNode row = rows.addObject().put("stage", s.name()).put("records_per_s", rate)
          .put("seconds", s.seconds()).put("vs_raw_put", rate / rawPut).put("vs_raw_read", rate / rawRead);
      if (s.measurement() != null) {
        row.put("wall_s", s.measurement().wallSeconds()).put("cpu_s", s.measurement().cpuSeconds())
            .put("peak_rss_mb", s.measurement().peakRssBytes() >> 20);
      }
      if (s.name().startsWith("read-")) {
        row.put("same_as_baseline", !different.contains("millrace-" + s.name().substring(5)));
      }
    }
    // The target: 5,000 records/s, or 0.8x the raw client where the emulator is the ceiling.
    double produceRate = stages.get(2).recordsPerSecond();
    ObjectNode targets = json.putObject("targets");
    targets.put("produce_met", produceRate >= 5000 || produceRate >= 0.8 * rawPut);
    for (Stage read : reads) {
      targets.put(read.name() + "_met", read.recordsPerSecond() >= 5000 || read.recordsPerSecond() >= 0.8 * rawRead);
    }
    table.append(String.format(Locale.ROOT, "targets (5,000 records/s or 0.8x the raw client): %s%n", targets));
    System.out.print(table);
    Path results = root.resolve(options.get("results"));
    Files.createDirectories(results);
    String stamp = Instant.now().toString().replace(":", "").replaceAll("\\.\\d+", "");
    Path file = results.resolve("bench-kinesis-" + stamp + ".json");
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    System.out.println("results: " + root.relativize(file));
    if (!different.isEmpty()) {
      System.err.println("millrace-bench kinesis: page_stats differ from the baseline's on " + different);
      System.exit(1);
    }
  }

  /** One thread putting every line in PutRecords calls of 500, re-sending what a call did not take. */
  static Stage rawPut(KinesisClient kinesis, String stream, List<String> lines) {
    long started = System.nanoTime();
    List<PutRecordsRequestEntry> batch = new ArrayList<>(500);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      batch.add(PutRecordsRequestEntry.builder().partitionKey(Integer.toHexString(line.hashCode()))
          .data(SdkBytes.fromString(line, StandardCharsets.UTF_8)).build());
      if (batch.size() == 500 || i == lines.size() - 1) {
        putAll(kinesis, stream, batch);
        batch = new ArrayList<>(500);
      }
    }
    return new Stage("raw-put", lines.size(), (System.nanoTime() - started) / 1e9, null);
  }

  private static void putAll(KinesisClient kinesis, String stream, List<PutRecordsRequestEntry> batch) {
    List<PutRecordsRequestEntry> pending = batch;
    while (!pending.isEmpty()) {
      List<PutRecordsRequestEntry> toSend = pending;
      PutRecordsResponse response = kinesis.putRecords(r -> r.streamName(stream).records(toSend));
      List<PutRecordsRequestEntry> failed = new ArrayList<>();
      for (int i = 0; i < response.records().size(); i++) {
        if (response.records().get(i).errorCode() != null) {
          failed.add(toSend.get(i));
        }
      }
      pending = failed;
    }
  }

  /** One thread reading the stream from its start, shard after shard, until {@code expected} records. */
  static Stage rawRead(KinesisClient kinesis, String stream, long expected) {
    long started = System.nanoTime();
    long read = 0;
    for (Shard shard : kinesis.listShards(r -> r.streamName(stream)).shards()) {
      String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shard.shardId())
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      while (iterator != null) {
        String current = iterator;
        GetRecordsResponse response = kinesis.getRecords(r -> r.shardIterator(current).limit(10_000));
        read += response.records().size();
        // An open shard never ends: it is read when a call returns nothing and nothing is behind.
        if (response.records().isEmpty() && (response.millisBehindLatest() == null
            || response.millisBehindLatest() == 0)) {
          break;
        }
        iterator = response.nextShardIterator();
      }
    }
    if (read != expected) {
      throw new IllegalStateException("the raw read gave " + read + " records, not " + expected);
    }
    return new Stage("raw-read", read, (System.nanoTime() - started) / 1e9, null);
  }

  static void createStream(KinesisClient kinesis, String stream, int shards) throws InterruptedException {
    if (!new KinesisProducer(kinesis, stream).ensureStream(shards)) {
      throw new IllegalStateException("stream " + stream + " exists already; the benchmark wants a fresh one");
    }
  }

  static KinesisClient client(String endpoint) {
    return KinesisClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
        .build();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void run(Path root, Map<String, String> env, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).inheritIO();
    builder.environment().putAll(env);
    int exit = builder.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + exit);
    }
  }
}
