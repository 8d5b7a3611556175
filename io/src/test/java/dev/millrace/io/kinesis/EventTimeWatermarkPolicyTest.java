package dev.millrace.io.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The Kinesis watermark in event time, on a clock the test moves. */
class EventTimeWatermarkPolicyTest {
  static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  static final Instant MARCH = Instant.parse("2026-03-01T10:00:00Z");
  static Instant clock = NOW;

  final KinesisRecordsIO.EventTimeFn eventTime = new KinesisRecordsIO.EventTimeFn(Duration.standardSeconds(30));
  final EventTimeWatermarkPolicy policy =
      new EventTimeWatermarkPolicy(eventTime, Duration.standardMinutes(1), () -> clock);

  static KinesisRecord record(Instant eventTime) {
    return payload("{\"event_id\":\"e\",\"event_time\":\"" + eventTime + "\"}");
  }

  @Test
  void followsTheNewestEventTimeLessTheOutOfOrdernessEvenMonthsAgo() {
    clock = NOW;
    policy.update(record(MARCH));
    policy.update(record(MARCH.plus(Duration.standardSeconds(10))));
    policy.update(record(MARCH.plus(Duration.standardSeconds(5)))); // out of order: no step back
    assertThat(policy.getWatermark()).isEqualTo(MARCH.plus(Duration.standardSeconds(10 - 30)));
  }

  static KinesisRecord payload(String text) {
    return new KinesisRecord(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), "1", 0, "p",
        NOW, NOW, "clicks", "shardId-000000000000");
  }

  @Test
  void aRecordWithoutAnEventTimeNeitherMovesTheWatermarkNorCountsAsIdle() {
    // Seen on Flink: one malformed record (arrival time "now") among months-old events moved the
    // shard's watermark to the wall clock; every window fired and every later event was late.
    clock = NOW;
    policy.update(record(MARCH));
    for (String bad : new String[] {"not json", "{\"event_time\":\"yesterday\"}", "[1,2]", "", "{\"event_id\":\"e\"}"}) {
      policy.update(payload(bad));
    }
    assertThat(policy.getWatermark()).isEqualTo(MARCH.minus(Duration.standardSeconds(30)));
    clock = NOW.plus(Duration.standardSeconds(59));
    policy.update(payload("not json"));
    clock = NOW.plus(Duration.standardSeconds(90));
    assertThat(policy.getWatermark()).as("the bad record showed the shard alive 31 s ago: not idle")
        .isEqualTo(MARCH.minus(Duration.standardSeconds(30)));
    assertThat(eventTime.eventTime(payload("not json"))).as("its element timestamp is its arrival time")
        .isEqualTo(NOW);
  }

  @Test
  void anIdleShardMovesOnWithTheWallClockFromWhereItStood() {
    clock = NOW;
    policy.update(record(MARCH));
    clock = NOW.plus(Duration.standardSeconds(59));
    assertThat(policy.getWatermark()).as("not idle yet").isEqualTo(MARCH.minus(Duration.standardSeconds(30)));
    clock = NOW.plus(Duration.standardSeconds(90));
    assertThat(policy.getWatermark()).as("idle for 30 s past the timeout")
        .isEqualTo(MARCH.minus(Duration.standardSeconds(30)).plus(Duration.standardSeconds(30)));
  }

  @Test
  void aShardWithNoRecordHoldsTheWatermarkOnlyUntilTheIdleTimeout() {
    clock = NOW;
    EventTimeWatermarkPolicy empty = new EventTimeWatermarkPolicy(eventTime, Duration.standardMinutes(1), () -> clock);
    assertThat(empty.getWatermark()).isEqualTo(BoundedWindow.TIMESTAMP_MIN_VALUE);
    clock = NOW.plus(Duration.standardMinutes(2));
    assertThat(empty.getWatermark()).isEqualTo(NOW.plus(Duration.standardMinutes(1)));
  }

  @Test
  void theIdleClockStartsWhenThePolicyIsFirstConsultedNotWhenItIsBuilt() {
    clock = NOW;
    EventTimeWatermarkPolicy built = new EventTimeWatermarkPolicy(eventTime, Duration.standardMinutes(1), () -> clock);
    clock = NOW.plus(Duration.standardMinutes(5)); // a restored reader whose task starts late
    assertThat(built.getWatermark()).as("first consulted: not idle yet").isEqualTo(BoundedWindow.TIMESTAMP_MIN_VALUE);
    built.update(record(MARCH));
    assertThat(built.getWatermark()).isEqualTo(MARCH.minus(Duration.standardSeconds(30)));
  }

  @Test
  void aRestoredShardStartsAtItsCheckpointedWatermarkAndNeverJumpsToTheWallClock() throws Exception {
    clock = NOW;
    Instant restored = MARCH.plus(Duration.standardMinutes(20));
    EventTimeWatermarkPolicy policy = EventTimeSource.withRestoredWatermark(restored,
        () -> new EventTimeWatermarkPolicy(eventTime, Duration.standardMinutes(1), () -> clock));
    assertThat(EventTimeWatermarkPolicy.RESTORED_WATERMARK.get()).as("cleared after the restore").isNull();
    assertThat(policy.getWatermark()).isEqualTo(restored);
    clock = NOW.plus(Duration.standardMinutes(3)); // no record for 3 minutes: idle for 2 past the timeout
    assertThat(policy.getWatermark()).as("moves on from where it stood, not to now")
        .isEqualTo(restored.plus(Duration.standardMinutes(2)));
    policy.update(record(MARCH.plus(Duration.standardMinutes(10)))); // replayed, older than the restored watermark
    assertThat(policy.getWatermark()).as("never steps back").isEqualTo(restored.plus(Duration.standardMinutes(2)));
  }
}
