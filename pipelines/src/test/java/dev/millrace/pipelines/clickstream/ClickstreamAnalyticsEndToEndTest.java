package dev.millrace.pipelines.clickstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.io.synthetic.ClickstreamGenerator;
import dev.millrace.io.synthetic.SyntheticClickstreamConfig;
import dev.millrace.pipelines.summary.RunSummary;
import dev.millrace.testing.TemplateRuns;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File -> Parquet on the DirectRunner, checked against an independent computation: a plain loop
 * with its own JSON validation, de-duplication and windowing, sharing no code with the pipeline.
 */
class ClickstreamAnalyticsEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Set<String> ACTIONS = Set.of("view", "click", "add_to_cart", "purchase");

  @TempDir static Path dir;
  static List<String> lines;
  static PipelineResult result;

  @BeforeAll
  static void runPipelineOnAFileWithEveryKindOfTrouble() throws Exception {
    SyntheticClickstreamConfig config =
        SyntheticClickstreamConfig.builder()
            .setSeed(2026)
            .setEventsPerSecond(50)
            .setOutOfOrderFraction(0.2)
            .setLateFraction(0.01)
            .setDuplicateFraction(0.03)
            .setMalformedFraction(0.03)
            .build();
    ClickstreamGenerator generator = new ClickstreamGenerator(config);
    lines = new ArrayList<>();
    for (long n = 0; n < 20_000; n++) {
      lines.addAll(generator.recordsOf(n));
    }
    // Trouble the generator does not make: huge, non-object, odd offsets, Unicode, extra fields.
    lines.add("{\"event_id\":\"huge\",\"page\":\"" + "x".repeat(2_000_000) + "\"}");
    lines.add("42");
    lines.add("{\"event_id\":\"tz\",\"event_time\":\"2026-01-01T01:00:30+01:00\",\"user_id\":\"u\","
        + "\"page\":\"/ünïcode/页面\",\"action\":\"purchase\",\"amount\":0.1,\"extra\":[1]}");
    lines.add("{\"event_id\":\"tz2\",\"event_time\":\"2026-01-01T00:00:31.5Z\",\"user_id\":\"u\","
        + "\"page\":\"/ünïcode/页面\",\"action\":\"purchase\",\"amount\":0.2}");
    lines.add("{\"event_id\":\"bool\",\"event_time\":\"2026-01-01T00:00:31Z\",\"user_id\":true,"
        + "\"page\":\"/\",\"action\":\"view\"}");
    Path input = dir.resolve("clicks.jsonl");
    Files.write(input, lines, StandardCharsets.UTF_8);

    ClickstreamAnalyticsOptions options =
        PipelineOptionsFactory.fromArgs(TemplateRuns.asTheCliRunsIt(
                "--source=file", "--input=" + input, "--output=" + dir.resolve("out")))
            .as(ClickstreamAnalyticsOptions.class);
    result = ClickstreamAnalytics.run(options);
    result.waitUntilFinish();
  }

  @Test
  void pageStatsEqualAnIndependentComputation() throws Exception {
    Map<String, Stats> expected = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    for (String line : lines) {
      JsonNode e = validEvent(line);
      if (e == null || !seen.add(e.get("event_id").asText())) {
        continue;
      }
      long time = OffsetDateTime.parse(e.get("event_time").asText()).toInstant().toEpochMilli();
      long window = Math.floorDiv(time, 60_000L) * 60_000L;
      Stats s = expected.computeIfAbsent(window + " " + e.get("page").asText(), k -> new Stats());
      s.events++;
      s.users.add(e.get("user_id").asText());
      String action = e.get("action").asText();
      s.actions.merge(action, 1L, Long::sum);
      if (action.equals("purchase")) {
        s.revenue = s.revenue.add(e.get("amount").decimalValue());
      }
    }

    Map<String, GenericRecord> lastPanes = new HashMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(dir.resolve("out/page_stats"))) {
      String key = r.get("window_start") + " " + r.get("page");
      GenericRecord other = lastPanes.get(key);
      if (other == null || (long) other.get("pane_index") < (long) r.get("pane_index")) {
        lastPanes.put(key, r);
      }
    }
    Map<String, String> actual = new TreeMap<>();
    lastPanes.forEach((key, r) -> actual.put(key, r.get("events") + " v" + r.get("views") + " c"
        + r.get("clicks") + " a" + r.get("add_to_carts") + " p" + r.get("purchases") + " $"
        + r.get("revenue") + " u" + r.get("unique_users")));
    Map<String, String> wanted = new TreeMap<>();
    expected.forEach((key, s) -> wanted.put(key, s.toString()));

    assertThat(actual).hasSize(wanted.size()).isEqualTo(wanted);
    assertThat(actual).containsEntry(
        OffsetDateTime.parse("2026-01-01T00:00:00Z").toInstant().toEpochMilli() + " /ünïcode/页面",
        "2 v0 c0 a0 p2 $0.3 u1");
    // A window and page is written as the ON_TIME pane in a bounded run; no partial files.
    for (GenericRecord r : lastPanes.values()) {
      assertThat(r.get("pane_timing").toString()).isEqualTo("ON_TIME");
    }
  }

  @Test
  void exactlyOneDeadLetterPerInvalidRecordWithItsPayloadAndLine() throws Exception {
    Map<String, String> expected = new TreeMap<>();
    for (int i = 0; i < lines.size(); i++) {
      if (validEvent(lines.get(i)) == null) {
        expected.put(dir.resolve("clicks.jsonl") + ":" + (i + 1), lines.get(i));
      }
    }
    Map<String, String> actual = new TreeMap<>();
    for (GenericRecord r : LocalParquetFiles.readAll(dir.resolve("out/dead_letter"))) {
      String previous = actual.put(r.get("source").toString(), r.get("payload").toString());
      assertThat(previous).as("one dead letter per record").isNull();
      assertThat(r.get("error").toString()).matches("[a-z_]+");
      assertThat(r.get("message").toString()).isNotBlank();
    }
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void theAccountingAddsUp() {
    RunSummary summary = RunSummary.of(result);
    long invalid = lines.stream().filter(l -> validEvent(l) == null).count();
    assertThat(summary.read()).isEqualTo(lines.size());
    assertThat(summary.deadLettered()).isEqualTo(invalid);
    assertThat(summary.parsed()).isEqualTo(lines.size() - invalid);
    assertThat(summary.duplicates()).isGreaterThan(400);
    assertThat(summary.droppedLate()).isZero();
    assertThat(summary.balances()).isTrue();
    assertThat(summary.deadLettersByReason()).containsKeys("record_too_large", "not_an_object",
        "malformed_json", "empty_record", "missing_field", "null_field", "empty_field",
        "wrong_type", "bad_timestamp", "unknown_action", "negative_amount", "missing_amount");
  }

  /** The record contract, written again from the README for this check alone. */
  static JsonNode validEvent(String line) {
    if (line.getBytes(StandardCharsets.UTF_8).length > 1024 * 1024) {
      return null;
    }
    JsonNode e;
    try {
      e = JSON.readTree(line);
    } catch (Exception ex) {
      return null;
    }
    if (e == null || !e.isObject()) {
      return null;
    }
    for (String field : List.of("event_id", "event_time", "user_id", "page", "action")) {
      JsonNode v = e.get(field);
      if (v == null || !v.isTextual() || v.asText().isBlank()) {
        return null;
      }
    }
    for (String field : List.of("session_id", "country", "user_agent", "referrer")) {
      JsonNode v = e.get(field);
      if (v != null && !v.isNull() && !v.isTextual()) {
        return null;
      }
    }
    try {
      OffsetDateTime.parse(e.get("event_time").asText());
    } catch (Exception ex) {
      return null;
    }
    if (!ACTIONS.contains(e.get("action").asText())) {
      return null;
    }
    if (e.get("action").asText().equals("purchase")) {
      JsonNode amount = e.get("amount");
      if (amount == null || !amount.isNumber() || amount.decimalValue().signum() < 0) {
        return null;
      }
    }
    return e;
  }

  static final class Stats {
    long events;
    Map<String, Long> actions = new HashMap<>();
    BigDecimal revenue = BigDecimal.ZERO;
    Set<String> users = new HashSet<>();

    @Override
    public String toString() {
      return events + " v" + actions.getOrDefault("view", 0L) + " c" + actions.getOrDefault("click", 0L)
          + " a" + actions.getOrDefault("add_to_cart", 0L) + " p" + actions.getOrDefault("purchase", 0L)
          + " $" + revenue.doubleValue() + " u" + users.size();
    }
  }
}
