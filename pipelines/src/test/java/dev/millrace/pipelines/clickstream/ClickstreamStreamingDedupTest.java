package dev.millrace.pipelines.clickstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.PageStats;
import dev.millrace.model.RawRecord;
import dev.millrace.pipelines.options.Durations;
import dev.millrace.testing.BeamPipelineExtension;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * De-duplication in a streaming run against its windows' lateness: a copy of an event that arrives
 * after the de-duplication horizon has passed, but while its window still accepts late events, must
 * not be counted a second time (seen in a replay whose copies were 10 event-minutes apart: a bounded
 * run caught the copy, a streaming run counted it).
 */
@ExtendWith(BeamPipelineExtension.class)
class ClickstreamStreamingDedupTest {
  static final Instant T0 = Instant.parse("2026-08-01T00:00:00Z");

  @TempDir Path dir;

  static TimestampedValue<RawRecord> click(String id, long seconds) {
    Instant t = T0.plus(Duration.standardSeconds(seconds));
    String json = "{\"event_id\":\"" + id + "\",\"event_time\":\"" + t + "\",\"user_id\":\"u1\",\"page\":\"/\","
        + "\"action\":\"click\"}";
    return TimestampedValue.of(RawRecord.of(json, "test:" + id), t);
  }

  @Test
  void aCopyLaterThanTheHorizonButWithinTheLatenessIsStillADuplicate(TestPipeline p) {
    ClickstreamAnalyticsOptions options = PipelineOptionsFactory.fromArgs(
        "--windowSize=1m", "--allowedLateness=1h", "--dedupHorizon=10m", "--lateFiringDelay=0s",
        "--output=" + dir).as(ClickstreamAnalyticsOptions.class);
    TestStream<RawRecord> stream = TestStream.create(RawRecord.RawRecordCoder.of())
        .addElements(click("e1", 30), click("e2", 40))
        // 30 minutes on: past e1's time + the 10m horizon, well within the window's 1h lateness.
        .advanceWatermarkTo(T0.plus(Duration.standardMinutes(30)))
        .addElements(click("e1", 30))
        .advanceWatermarkToInfinity();
    PCollection<PageStats> stats = ClickstreamAnalytics.expand(p.apply(stream), options);
    PAssert.that(stats).satisfies(panes -> {
      assertThat(panes).as("panes of the one window").isNotEmpty()
          .allSatisfy(s -> assertThat(s.getEvents()).as("events in %s", s).isEqualTo(2));
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void idsAreKeptForTheHorizonOrTheWindowsLifetimeWhicheverIsLonger() {
    assertThat(Durations.dedupRetention("10m", "1m", "1h")).isEqualTo(Duration.standardMinutes(61));
    assertThat(Durations.dedupRetention("10m", "1m", "5m")).isEqualTo(Duration.standardMinutes(10));
    assertThat(Durations.dedupRetention("10m", "1h", "0s")).isEqualTo(Duration.standardHours(1));
  }
}
