package dev.millrace.templates.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The few calls of Flink's REST API that a fault-injection run needs: jobs and their state,
 * checkpoints, stop with a savepoint (with or without drain), restarts and Beam's metrics.
 */
final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  FlinkRest(String base) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** The id of the newest job with this name in one of the given states, if any. */
  Optional<String> job(String name, String... states) throws IOException, InterruptedException {
    JsonNode jobs = get("/jobs/overview").path("jobs");
    String found = null;
    long newest = Long.MIN_VALUE;
    for (JsonNode job : jobs) {
      if (!job.path("name").asText().equals(name)) {
        continue;
      }
      if (states.length > 0 && !List.of(states).contains(job.path("state").asText())) {
        continue;
      }
      if (job.path("start-time").asLong() > newest) {
        newest = job.path("start-time").asLong();
        found = job.path("jid").asText();
      }
    }
    return Optional.ofNullable(found);
  }

  String state(String job) throws IOException, InterruptedException {
    return get("/jobs/" + job).path("state").asText();
  }

  /** True when the job and every one of its tasks run. */
  boolean allRunning(String job) throws IOException, InterruptedException {
    JsonNode detail = get("/jobs/" + job);
    if (!"RUNNING".equals(detail.path("state").asText())) {
      return false;
    }
    for (JsonNode vertex : detail.path("vertices")) {
      if (!"RUNNING".equals(vertex.path("status").asText())) {
        return false;
      }
    }
    return true;
  }

  /** How many checkpoints of this job have completed (since it was submitted). */
  long completedCheckpoints(String job) throws IOException, InterruptedException {
    return get("/jobs/" + job + "/checkpoints").path("counts").path("completed").asLong();
  }

  /** The newest completed checkpoint's size in bytes (0 before the first). */
  long latestCheckpointBytes(String job) throws IOException, InterruptedException {
    JsonNode completed = get("/jobs/" + job + "/checkpoints").path("latest").path("completed");
    return completed.path("checkpointed_size").asLong(completed.path("state_size").asLong());
  }

  /** What the job last restored from: "checkpoint N (path)", or null when it never restored. */
  String restoredFrom(String job) throws IOException, InterruptedException {
    JsonNode restored = get("/jobs/" + job + "/checkpoints").path("latest").path("restored");
    if (restored.isMissingNode() || restored.isNull()) {
      return null;
    }
    String kind = restored.path("is_savepoint").asBoolean() ? "savepoint " : "checkpoint ";
    return kind + restored.path("id").asLong() + " (" + restored.path("external_path").asText() + ")";
  }

  /** The job's restarts so far (Flink's numRestarts metric). */
  long restarts(String job) throws IOException, InterruptedException {
    for (JsonNode metric : get("/jobs/" + job + "/metrics?get=numRestarts")) {
      return metric.path("value").asLong();
    }
    return 0;
  }

  /**
   * The sum over every task of the Beam counters whose name ends with {@code name} (Beam's Flink
   * runner reports each counter as a Flink metric per step). Counts restart at 0 when the job restarts.
   */
  long beamCounter(String job, String name) throws IOException, InterruptedException {
    long sum = 0;
    for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
      String path = "/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
      List<String> ids = new ArrayList<>();
      for (JsonNode metric : get(path)) {
        String id = metric.path("id").asText();
        if (id.endsWith(name)) {
          ids.add(id);
        }
      }
      if (ids.isEmpty()) {
        continue;
      }
      String query = URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8);
      for (JsonNode metric : get(path + "?agg=sum&get=" + query)) {
        sum += (long) metric.path("sum").asDouble();
      }
    }
    return sum;
  }

  /**
   * Stops the job with a savepoint into {@code directory} (drain: first advance the watermark to the
   * end, so every window fires its final pane) and returns the savepoint's path once it is written.
   */
  String stopWithSavepoint(String job, String directory, boolean drain, Duration timeout)
      throws IOException, InterruptedException {
    String body = JSON.writeValueAsString(
        JSON.createObjectNode().put("drain", drain).put("targetDirectory", directory));
    String trigger = post("/jobs/" + job + "/stop", body).path("request-id").asText();
    if (trigger.isEmpty()) {
      throw new IOException("Flink did not accept the stop request for job " + job);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = get("/jobs/" + job + "/savepoints/" + trigger);
      if ("COMPLETED".equals(status.path("status").path("id").asText())) {
        JsonNode operation = status.path("operation");
        if (operation.has("failure-cause")) {
          throw new IOException("stop with savepoint failed: "
              + operation.path("failure-cause").path("stack-trace").asText().lines().findFirst().orElse("?"));
        }
        return operation.path("location").asText();
      }
      Thread.sleep(500);
    }
    throw new IOException("the savepoint of job " + job + " did not complete in " + timeout.toSeconds() + " s");
  }

  void cancel(String job) throws IOException, InterruptedException {
    send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + job + "?mode=cancel"))
        .method("PATCH", HttpRequest.BodyPublishers.noBody()));
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  JsonNode post(String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IOException("Flink REST " + response.request().method() + " " + response.request().uri().getPath()
          + ": HTTP " + response.statusCode() + " " + abbreviate(response.body()));
    }
    return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
