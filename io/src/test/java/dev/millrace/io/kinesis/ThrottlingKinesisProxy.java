package dev.millrace.io.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on 127.0.0.1 in front of the real Kinesis emulator that throttles PutRecords entries
 * as AWS does under load (the emulator never does): entries chosen by {@link Rule} are answered with
 * {@code ProvisionedThroughputExceededException} and not forwarded; the rest are put by the emulator
 * and its answers passed back in place. Speaks the JSON protocol (clients built with CBOR off).
 */
final class ThrottlingKinesisProxy implements AutoCloseable {
  /** Whether to throttle the entry at {@code index} of the {@code request}-th PutRecords call (from 1). */
  interface Rule {
    boolean throttle(int request, int index, String partitionKey);
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI upstream;
  private final Rule rule;
  private final AtomicInteger putRequests = new AtomicInteger();
  private final AtomicInteger throttled = new AtomicInteger();

  ThrottlingKinesisProxy(URI upstream, Rule rule) throws IOException {
    this.upstream = upstream;
    this.rule = rule;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int throttled() {
    return throttled.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      if (target == null || !target.endsWith(".PutRecords")) {
        relay(exchange, forward(exchange, body));
        return;
      }
      int request = putRequests.incrementAndGet();
      ObjectNode call = (ObjectNode) JSON.readTree(body);
      ArrayNode entries = (ArrayNode) call.get("Records");
      List<Integer> passed = new ArrayList<>();
      ArrayNode forwarded = JSON.createArrayNode();
      for (int i = 0; i < entries.size(); i++) {
        if (!rule.throttle(request, i, entries.get(i).get("PartitionKey").asText())) {
          passed.add(i);
          forwarded.add(entries.get(i));
        }
      }
      ArrayNode results = JSON.createArrayNode();
      int failed = entries.size() - passed.size();
      JsonNode upstreamResults = JSON.createArrayNode();
      if (!passed.isEmpty()) {
        call.set("Records", forwarded);
        HttpResponse<byte[]> response = forward(exchange, JSON.writeValueAsBytes(call));
        if (response.statusCode() != 200) {
          relay(exchange, response);
          return;
        }
        JsonNode answer = JSON.readTree(response.body());
        upstreamResults = answer.get("Records");
        failed += answer.path("FailedRecordCount").asInt();
      }
      for (int i = 0, next = 0; i < entries.size(); i++) {
        if (next < passed.size() && passed.get(next) == i) {
          results.add(upstreamResults.get(next++));
        } else {
          throttled.incrementAndGet();
          results.add(JSON.createObjectNode()
              .put("ErrorCode", "ProvisionedThroughputExceededException")
              .put("ErrorMessage", "Rate exceeded for shard (throttled by the test proxy)"));
        }
      }
      ObjectNode answer = JSON.createObjectNode();
      answer.put("FailedRecordCount", failed);
      answer.set("Records", results);
      send(exchange, 200, "application/x-amz-json-1.1", JSON.writeValueAsBytes(answer));
    } catch (Exception e) {
      send(exchange, 500, "text/plain", String.valueOf(e).getBytes());
    }
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().getPath()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (String header : List.of("Content-Type", "X-Amz-Target", "X-Amz-Date", "Authorization")) {
      String value = exchange.getRequestHeaders().getFirst(header);
      if (value != null) {
        request.header(header, value);
      }
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void relay(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
    send(exchange, response.statusCode(),
        response.headers().firstValue("Content-Type").orElse("application/x-amz-json-1.1"), response.body());
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
