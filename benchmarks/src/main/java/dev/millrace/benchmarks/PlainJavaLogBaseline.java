package dev.millrace.benchmarks;

import dev.millrace.model.AccessLogEntry;
import dev.millrace.model.ClientSession;
import dev.millrace.model.TopPath;
import dev.millrace.model.TrafficStats;
import dev.millrace.transforms.parse.AccessLogParser;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.joda.time.Instant;

/**
 * log-analytics' work as a plain single-threaded loop, no Beam runner: the same access log parser, then
 * traffic_stats and top_paths per fixed event-time window (epoch-aligned, top N by requests, ties by
 * path) and sessions per client IP (a gap of at least the session gap starts a new one, as Beam's
 * half-open session windows do), written as Parquet with the same schemas. Lines that break the format
 * are counted, not written (a dead letter's message is the runner's exception text).
 *
 * <p>{@code java -cp ... dev.millrace.benchmarks.PlainJavaLogBaseline INPUT OUTPUT [WINDOW_MS] [TOP_N] [GAP_MS]}
 * (defaults: the template's, 5 minutes, 10, 30 minutes)
 */
public final class PlainJavaLogBaseline {
  private PlainJavaLogBaseline() {}

  /** One window's totals, as TrafficStatsPerWindow's combine keeps them. */
  private static final class Window {
    long requests;
    long bytes;
    final long[] statusClasses = new long[6];
    long bots;
    final Set<String> ips = new HashSet<>();
    final Map<String, Long> paths = new HashMap<>();
  }

  /** One client's requests: times, bytes and paths, in input order. */
  private static final class Client {
    final List<long[]> requests = new ArrayList<>(); // {time, bytes, path index or -1}
  }

  public static void main(String[] args) throws Exception {
    Path input = Paths.get(args[0]);
    Path output = Paths.get(args[1]);
    long windowMillis = args.length > 2 ? Long.parseLong(args[2]) : 5 * 60_000L;
    int topN = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    long gapMillis = args.length > 4 ? Long.parseLong(args[4]) : 30 * 60_000L;
    long started = System.nanoTime();
    AccessLogParser parser = new AccessLogParser(1024 * 1024);
    Map<Long, Window> windows = new TreeMap<>();
    Map<String, Client> clients = new HashMap<>();
    Map<String, Integer> pathIndex = new HashMap<>();
    List<String> pathNames = new ArrayList<>();
    long read = 0;
    long parsed = 0;
    long rejected = 0;
    try (BufferedReader lines = PlainJavaBaseline.lenientLines(input)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        read++;
        if (AccessLogParser.isBlank(line)) {
          continue;
        }
        AccessLogEntry e = parser.parse(line).entry();
        if (e == null) {
          rejected++;
          continue;
        }
        parsed++;
        long time = e.getEventTime().getMillis();
        Window w = windows.computeIfAbsent(Math.floorDiv(time, windowMillis) * windowMillis, k -> new Window());
        w.requests++;
        w.bytes += e.getBytes();
        int statusClass = e.getStatus() / 100;
        if (statusClass >= 2 && statusClass <= 5) {
          w.statusClasses[statusClass]++;
        }
        if (e.isBot()) {
          w.bots++;
        }
        w.ips.add(e.getIp());
        int path = -1;
        if (e.getPath() != null) {
          w.paths.merge(e.getPath(), 1L, Long::sum);
          path = pathIndex.computeIfAbsent(e.getPath(), p -> {
            pathNames.add(p);
            return pathNames.size() - 1;
          });
        }
        clients.computeIfAbsent(e.getIp(), ip -> new Client()).requests.add(new long[] {time, e.getBytes(), path});
      }
    }
    SchemaRegistry schemas = SchemaRegistry.createDefault();
    long statsRows = 0;
    long topRows = 0;
    Files.createDirectories(output.resolve("traffic_stats"));
    Files.createDirectories(output.resolve("top_paths"));
    try (PlainJavaBaseline.Writer<TrafficStats> stats = new PlainJavaBaseline.Writer<>(schemas, TrafficStats.class,
            "traffic_stats", output.resolve("traffic_stats/traffic_stats.parquet"));
        PlainJavaBaseline.Writer<TopPath> tops = new PlainJavaBaseline.Writer<>(schemas, TopPath.class, "top_paths",
            output.resolve("top_paths/top_paths.parquet"))) {
      for (Map.Entry<Long, Window> entry : windows.entrySet()) {
        Instant start = new Instant(entry.getKey());
        Instant end = start.plus(windowMillis);
        Window w = entry.getValue();
        stats.write(TrafficStats.builder().setWindowStart(start).setWindowEnd(end).setRequests(w.requests)
            .setUniqueIps(w.ips.size()).setBytes(w.bytes).setStatus2xx(w.statusClasses[2])
            .setStatus3xx(w.statusClasses[3]).setStatus4xx(w.statusClasses[4]).setStatus5xx(w.statusClasses[5])
            .setBotRequests(w.bots).setPaneIndex(0).setPaneTiming("ON_TIME").build());
        statsRows++;
        List<Map.Entry<String, Long>> ranked = new ArrayList<>(w.paths.entrySet());
        ranked.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        for (int i = 0; i < Math.min(topN, ranked.size()); i++) {
          tops.write(TopPath.create(start, end, i + 1, ranked.get(i).getKey(), ranked.get(i).getValue()));
          topRows++;
        }
      }
    }
    long sessionRows = 0;
    Files.createDirectories(output.resolve("sessions"));
    try (PlainJavaBaseline.Writer<ClientSession> sessions = new PlainJavaBaseline.Writer<>(schemas,
        ClientSession.class, "sessions", output.resolve("sessions/sessions.parquet"))) {
      for (Map.Entry<String, Client> client : clients.entrySet()) {
        List<long[]> requests = client.getValue().requests;
        requests.sort((a, b) -> Long.compare(a[0], b[0]));
        int from = 0;
        for (int i = 1; i <= requests.size(); i++) {
          // A request at or after the last one plus the gap starts a new session.
          if (i == requests.size() || requests.get(i)[0] >= requests.get(i - 1)[0] + gapMillis) {
            long bytes = 0;
            Set<Long> paths = new HashSet<>();
            for (int j = from; j < i; j++) {
              bytes += requests.get(j)[1];
              if (requests.get(j)[2] >= 0) {
                paths.add(requests.get(j)[2]);
              }
            }
            sessions.write(ClientSession.create(client.getKey(), new Instant(requests.get(from)[0]),
                new Instant(requests.get(i - 1)[0]), i - from, bytes, paths.size()));
            sessionRows++;
            from = i;
          }
        }
      }
    }
    System.out.printf("baseline: read %d, parsed %d, rejected %d; traffic_stats rows %d, top_paths rows %d,"
            + " sessions rows %d, DONE in %.1f s%n",
        read, parsed, rejected, statsRows, topRows, sessionRows, (System.nanoTime() - started) / 1e9);
  }
}
