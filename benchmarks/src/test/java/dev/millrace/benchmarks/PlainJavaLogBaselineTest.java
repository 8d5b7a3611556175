package dev.millrace.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.pipelines.logs.LogAnalytics;
import dev.millrace.pipelines.logs.LogAnalyticsOptions;
import dev.millrace.testing.TemplateRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baseline's rows are log-analytics' rows: its ratio is against the same work, not less. */
class PlainJavaLogBaselineTest {
  static final Path EXCERPT = Paths.get(System.getProperty("millrace.root", ".."))
      .resolve("pipelines/src/test/resources/logs/access_excerpt.log");

  static String line(String ip, String time, String path, int status, long bytes) {
    return ip + " - - [" + time + " +0000] \"GET " + path + " HTTP/1.1\" " + status + " " + bytes
        + " \"-\" \"Mozilla/5.0\"";
  }

  @Test
  void theBaselineWritesWhatTheTemplateWrites(@TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(EXCERPT));
    // Boundaries: a request exactly one session gap (30m) after the last starts a new session, 1 ms less
    // would not (second precision: 29m59s); a request at a window's end belongs to the next window; two
    // paths tied on requests rank by path; broken lines and a blank one.
    lines.add(line("10.9.9.1", "18/May/2015:09:00:00", "/b", 200, 10));
    lines.add(line("10.9.9.1", "18/May/2015:09:30:00", "/a", 404, 20));
    lines.add(line("10.9.9.2", "18/May/2015:09:00:00", "/a", 500, 30));
    lines.add(line("10.9.9.2", "18/May/2015:09:29:59", "/b", 301, 40));
    lines.add(line("10.9.9.3", "18/May/2015:09:05:00", "/c", 200, 0));
    lines.add("not a log line");
    lines.add("");
    lines.add(line("10.9.9.4", "18/May/2015:09:04:59", "/d", 999, 1));
    Path input = dir.resolve("access.log");
    Files.write(input, lines);

    Path template = dir.resolve("template");
    LogAnalytics.run(PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt("--runner=DirectRunner", "--input=" + input,
        "--output=" + template)).as(LogAnalyticsOptions.class)).waitUntilFinish();
    Path baseline = dir.resolve("baseline");
    PlainJavaLogBaseline.main(new String[] {input.toString(), baseline.toString()});

    BaselineRows.assertSameAsTemplate(template, baseline, "sessions", "top_paths", "traffic_stats");
    assertThat(TemplateBenchmark.datasets(template).get("dead_letter")).hasSize(2);
  }
}
