package dev.millrace.transforms.logs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.model.AccessLogEntry;
import dev.millrace.model.ClientSession;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.transforms.window.Windowing;
import java.util.List;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sessions per client IP: a gap of the session gap or more splits (half-open windows). */
@ExtendWith(BeamPipelineExtension.class)
class SessionsPerClientTest {
  static final String DAY = "2026-11-27T";

  static Instant t(String time) {
    return Instant.parse(DAY + time + "Z");
  }

  static TimestampedValue<AccessLogEntry> req(String ip, String time, @Nullable String path, long bytes) {
    AccessLogEntry e = AccessLogEntry.builder()
        .setIp(ip)
        .setEventTime(t(time))
        .setMethod(path == null ? null : "GET")
        .setPath(path)
        .setProtocol(path == null ? null : "HTTP/1.1")
        .setStatus(200)
        .setBytes(bytes)
        .setBot(false)
        .build();
    return TimestampedValue.of(e, t(time));
  }

  static ClientSession session(String ip, String start, String end, long requests, long bytes, long pages) {
    return ClientSession.create(ip, t(start), t(end), requests, bytes, pages);
  }

  @Test
  void aGapOfExactlyTheSessionGapSplitsAndSessionsArePerIp(TestPipeline p) throws NoSuchSchemaException {
    List<TimestampedValue<AccessLogEntry>> entries = List.of(
        req("1.1.1.1", "10:00:00", "/a", 100),
        req("1.1.1.1", "10:05:00", "/b", 50),
        // 9:59.999 after the previous request: the same session.
        req("1.1.1.1", "10:14:59.999", "/a", 10),
        // Exactly 10 minutes after the previous request: a new session.
        req("1.1.1.1", "10:24:59.999", "/a", 1),
        // No path (a "-" request line): counted, but not a page.
        req("1.1.1.1", "10:30:00", null, 2),
        // Another client in the middle of the first one's session: its own session.
        req("2.2.2.2", "10:05:00", "/x", 7),
        // One millisecond short of the gap for this client: one session of two requests.
        req("3.3.3.3", "11:00:00", "/x", 1),
        req("3.3.3.3", "11:09:59.999", "/x", 1));

    PCollection<ClientSession> sessions =
        p.apply(Create.timestamped(entries).withCoder(p.getSchemaRegistry().getSchemaCoder(AccessLogEntry.class)))
            .apply(SessionsPerClient.create().withWindowing(Windowing.sessions(Duration.standardMinutes(10))));

    PAssert.that(sessions).containsInAnyOrder(
        session("1.1.1.1", "10:00:00", "10:14:59.999", 3, 160, 2),
        session("1.1.1.1", "10:24:59.999", "10:30:00", 2, 3, 1),
        session("2.2.2.2", "10:05:00", "10:05:00", 1, 7, 1),
        session("3.3.3.3", "11:00:00", "11:09:59.999", 2, 2, 1));
    p.run().waitUntilFinish();
  }

  @Test
  void theDefaultGapIsThirtyMinutes(TestPipeline p) throws NoSuchSchemaException {
    List<TimestampedValue<AccessLogEntry>> entries = List.of(
        req("1.1.1.1", "10:00:00", "/a", 1),
        req("1.1.1.1", "10:29:59.999", "/b", 1),
        req("1.1.1.1", "10:59:59.999", "/c", 1));

    PCollection<ClientSession> sessions =
        p.apply(Create.timestamped(entries).withCoder(p.getSchemaRegistry().getSchemaCoder(AccessLogEntry.class)))
            .apply(SessionsPerClient.create());

    PAssert.that(sessions).containsInAnyOrder(
        session("1.1.1.1", "10:00:00", "10:29:59.999", 2, 2, 2),
        session("1.1.1.1", "10:59:59.999", "10:59:59.999", 1, 1, 1));
    p.run().waitUntilFinish();
  }

  @Test
  void aLateRequestThatJoinsASessionFiresACorrectedRow(TestPipeline p) throws NoSuchSchemaException {
    TestStream<AccessLogEntry> stream =
        TestStream.create(p.getSchemaRegistry().getSchemaCoder(AccessLogEntry.class))
            .advanceWatermarkTo(t("10:00:00"))
            .addElements(req("1.1.1.1", "10:00:00", "/a", 10), req("1.1.1.1", "10:05:00", "/b", 20))
            // The session [10:00, 10:15) is complete: its row. It is kept until 10:20 (5 min of lateness).
            .advanceWatermarkTo(t("10:16:00"))
            // Behind the watermark, within the lateness: joins the session, which now ends at 10:18.
            .addElements(req("1.1.1.1", "10:08:00", "/c", 30))
            .advanceWatermarkTo(t("10:40:00"))
            // Its own session would end at 10:30, + 5 min of lateness, long passed: dropped.
            .addElements(req("9.9.9.9", "10:20:00", "/z", 1))
            .advanceWatermarkToInfinity();

    PCollection<ClientSession> sessions = p.apply(stream)
        .apply(SessionsPerClient.create().withWindowing(
            Windowing.sessions(Duration.standardMinutes(10))
                .withAllowedLateness(Duration.standardMinutes(5))
                .withLateFiringDelay(Duration.ZERO)));

    PAssert.that(sessions).containsInAnyOrder(
        session("1.1.1.1", "10:00:00", "10:05:00", 2, 30, 2),
        session("1.1.1.1", "10:00:00", "10:08:00", 3, 60, 3));
    p.run().waitUntilFinish();
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> SessionsPerClient.create().withWindowing(Windowing.fixed(Duration.standardMinutes(10))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("client sessions need session windows");
  }
}
