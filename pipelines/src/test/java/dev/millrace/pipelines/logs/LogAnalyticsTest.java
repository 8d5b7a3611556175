package dev.millrace.pipelines.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.pipelines.summary.RunSummary;
import dev.millrace.testing.TemplateRuns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * log-analytics on real access log lines plus crafted odd ones, checked against an independent
 * computation written here without the pipeline's parser or transforms.
 */
class LogAnalyticsTest {
  static final long HOUR = 3_600_000L;
  static final long GAP = 30 * 60_000L;

  static final List<String> ODD_LINES = List.of(
      "",
      "   ",
      "10.0.0.1 - - [17/May/2015:10:10:00 +0000] \"-\" 408 - \"-\" \"-\"",
      "10.0.0.1 - - [17/May/2015:10:40:00 +0000] \"GET /search?q=beam&x=1 HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 \\\"quoted\\\"\"",
      "10.0.0.1 - - [17/May/2015:11:10:00 +0000] \"GET /search HTTP/1.1\" 404 - \"-\" \"Yahoo! Slurp\"",
      "10.0.0.2 - frank [17/May/2015:12:30:00 +0200] \"POST /login HTTP/1.0\" 302 0 \"http://x/\" \"Baiduspider\"\r",
      "10.0.0.3 - - [17/May/2015:10:00:00 +0000] \"GET /a HTTP/1.1\" 503 10 \"-\" \"curl/8\"",
      "10.0.0.3 - - [17/May/2015:10:30:00 +0000] \"GET /b HTTP/1.1\" 200 10 \"-\" \"curl/8\"",
      "10.0.0.3 - - [17/May/2015:10:59:59 +0000] \"GET /a HTTP/1.1\" 200 10 \"-\" \"curl/8\"",
      "10.0.0.4 - - [32/May/2015:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"",
      "10.0.0.4 - - [17/May/2015:10:00:00 +0000] \"GET / HTTP/1.1\" 2x0 1 \"-\" \"x\"",
      "10.0.0.4 - - [17/May/2015:10:00:00 +0000] \"GET / HTTP/1.1\" 200 12a \"-\" \"x\"",
      "10.0.0.4 - - [17/May/2015:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1",
      "{\"event_id\":\"not a log line\"}",
      "10.0.0.5 - - [17/May/2015:10:00:00 +0000] \"GET /" + "x".repeat(5_000) + " HTTP/1.1\" 200 1 \"-\" \"x\"");

  @TempDir Path dir;

  @Test
  void realAndOddLinesGiveWhatAnIndependentComputationGives() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(
        Paths.get(getClass().getResource("/logs/access_excerpt.log").toURI()), StandardCharsets.UTF_8));
    lines.addAll(ODD_LINES);
    Path input = dir.resolve("access.log");
    Files.write(input, lines, StandardCharsets.UTF_8);

    LogAnalyticsOptions options = PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
        "--source=file", "--input=" + input, "--output=" + dir.resolve("out"), "--windowSize=1h",
        "--topN=5", "--maxRecordBytes=4096")).as(LogAnalyticsOptions.class);
    PipelineResult result = LogAnalytics.run(options);
    result.waitUntilFinish();
    RunSummary summary = RunSummary.of(result);

    Expected expected = new Expected(lines);
    assertThat(summary.read()).isEqualTo(lines.size());
    assertThat(summary.blankLinesSkipped()).isEqualTo(2);
    assertThat(summary.deadLettersByReason()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "malformed_log_line", 3L, "bad_timestamp", 1L, "bad_status", 1L, "bad_bytes", 1L, "record_too_large", 1L));
    assertThat(summary.balances()).as(summary.format("log run")).isTrue();

    Path out = dir.resolve("out");
    assertThat(rows(out.resolve("traffic_stats"), "window_start", "requests", "unique_ips", "bytes",
            "status_2xx", "status_3xx", "status_4xx", "status_5xx", "bot_requests", "pane_timing"))
        .hasSizeGreaterThan(2)
        .containsExactlyElementsOf(expected.trafficStats());
    assertThat(rows(out.resolve("top_paths"), "window_start", "rank", "path", "requests"))
        .containsExactlyElementsOf(expected.topPaths(5));
    assertThat(rows(out.resolve("sessions"), "ip", "session_start", "session_end", "requests", "bytes", "pages"))
        .hasSizeGreaterThan(50)
        .containsExactlyElementsOf(expected.sessions());
    List<GenericRecord> deadLetters = LocalParquetFiles.readAll(out.resolve("dead_letter"));
    assertThat(deadLetters).hasSize(7);
    assertThat(deadLetters).anySatisfy(r -> assertThat(r.get("source").toString()).endsWith("access.log:401"));
  }

  static List<String> rows(Path dataset, String... fields) throws Exception {
    return LocalParquetFiles.readAll(dataset).stream()
        .map(r -> {
          List<String> values = new ArrayList<>();
          for (String f : fields) {
            values.add(String.valueOf(r.get(f))); // timestamps read back as epoch millis
          }
          return String.join("|", values);
        })
        .sorted()
        .collect(Collectors.toList());
  }

  /** The expected datasets, by a plain scan of the lines (no regex, no Beam). */
  static final class Expected {
    record Request(String ip, long time, String path, int status, long bytes, boolean bot) {}

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    final List<Request> requests = new ArrayList<>();

    Expected(List<String> lines) {
      for (String raw : lines) {
        String line = raw.strip();
        if (line.isEmpty() || line.length() > 4096) {
          continue;
        }
        try {
          int open = line.indexOf(" [");
          int close = line.indexOf("] \"", open);
          String ip = line.substring(0, line.indexOf(' '));
          ZonedDateTime t = ZonedDateTime.parse(line.substring(open + 2, close), TIME);
          if (t.getDayOfMonth() != Integer.parseInt(line.substring(open + 2, open + 4))) {
            continue; // an invalid date that the lenient parse rolled over
          }
          int reqEnd = line.indexOf("\" ", close + 3);
          String request = line.substring(close + 3, reqEnd);
          String[] rest = line.substring(reqEnd + 2).split(" ", 3);
          if (rest.length < 3 || !rest[2].startsWith("\"") || !line.endsWith("\"") || !rest[0].matches("\\d{3}")) {
            continue;
          }
          long bytes = rest[1].equals("-") ? 0 : Long.parseLong(rest[1]);
          String ua = rest[2].substring(rest[2].indexOf("\" \"") + 3).toLowerCase(Locale.ROOT);
          String[] parts = request.split(" ");
          String path = parts.length == 3 ? parts[1].split("\\?")[0] : null;
          boolean bot = ua.contains("bot") || ua.contains("crawler") || ua.contains("spider") || ua.contains("slurp");
          requests.add(new Request(ip, t.toInstant().toEpochMilli(), path, Integer.parseInt(rest[0]), bytes, bot));
        } catch (RuntimeException e) {
          // not a valid line: a dead letter
        }
      }
    }

    List<String> trafficStats() {
      Map<Long, List<Request>> byWindow = new TreeMap<>();
      requests.forEach(r -> byWindow.computeIfAbsent(r.time / HOUR * HOUR, w -> new ArrayList<>()).add(r));
      List<String> rows = new ArrayList<>();
      byWindow.forEach((w, rs) -> {
        long[] status = new long[6];
        rs.forEach(r -> status[r.status / 100]++);
        rows.add(String.join("|", String.valueOf(w), String.valueOf(rs.size()),
            String.valueOf(rs.stream().map(Request::ip).distinct().count()),
            String.valueOf(rs.stream().mapToLong(Request::bytes).sum()),
            String.valueOf(status[2]), String.valueOf(status[3]), String.valueOf(status[4]), String.valueOf(status[5]),
            String.valueOf(rs.stream().filter(Request::bot).count()), "ON_TIME"));
      });
      return rows.stream().sorted().collect(Collectors.toList());
    }

    List<String> topPaths(int n) {
      Map<Long, Map<String, Long>> byWindow = new TreeMap<>();
      requests.stream().filter(r -> r.path != null).forEach(r ->
          byWindow.computeIfAbsent(r.time / HOUR * HOUR, w -> new HashMap<>()).merge(r.path, 1L, Long::sum));
      List<String> rows = new ArrayList<>();
      byWindow.forEach((w, counts) -> {
        List<Map.Entry<String, Long>> ranked = new ArrayList<>(counts.entrySet());
        ranked.sort((a, b) -> a.getValue().equals(b.getValue())
            ? a.getKey().compareTo(b.getKey()) : Long.compare(b.getValue(), a.getValue()));
        for (int i = 0; i < Math.min(n, ranked.size()); i++) {
          rows.add(w + "|" + (i + 1) + "|" + ranked.get(i).getKey() + "|" + ranked.get(i).getValue());
        }
      });
      return rows.stream().sorted().collect(Collectors.toList());
    }

    List<String> sessions() {
      Map<String, List<Request>> byIp = new HashMap<>();
      requests.forEach(r -> byIp.computeIfAbsent(r.ip, ip -> new ArrayList<>()).add(r));
      List<String> rows = new ArrayList<>();
      byIp.forEach((ip, rs) -> {
        rs.sort((a, b) -> Long.compare(a.time, b.time));
        List<Request> session = new ArrayList<>();
        for (Request r : rs) {
          if (!session.isEmpty() && r.time - session.get(session.size() - 1).time >= GAP) {
            rows.add(sessionRow(ip, session));
            session = new ArrayList<>();
          }
          session.add(r);
        }
        rows.add(sessionRow(ip, session));
      });
      return rows.stream().sorted().collect(Collectors.toList());
    }

    static String sessionRow(String ip, List<Request> s) {
      Set<String> pages = new HashSet<>();
      s.stream().map(Request::path).filter(p -> p != null).forEach(pages::add);
      return String.join("|", ip, String.valueOf(s.get(0).time), String.valueOf(s.get(s.size() - 1).time),
          String.valueOf(s.size()), String.valueOf(s.stream().mapToLong(Request::bytes).sum()),
          String.valueOf(pages.size()));
    }
  }
}
