package dev.millrace.io.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.RawRecord;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.transforms.parse.ClickEventParser;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeamPipelineExtension.class)
class LiveScheduleTest {
  static final Duration OUT_OF_ORDERNESS = Duration.standardSeconds(2);

  /** 10 events a second from an hour ago, none out of order, late, duplicated or malformed. */
  static ClickstreamGenerator anHourAgo() {
    return new ClickstreamGenerator(SyntheticClickstreamConfig.builder()
        .setStartTime(Instant.now().minus(Duration.standardHours(1)))
        .setEventsPerSecond(10)
        .setOutOfOrderFraction(0)
        .setLateFraction(0)
        .setDuplicateFraction(0)
        .setMalformedFraction(0)
        .setMaxOutOfOrderness(OUT_OF_ORDERNESS)
        .build());
  }

  @Test
  void theScheduleStartsWhenFirstAskedAndKeepsTheGeneratorsSpacing() {
    ClickstreamGenerator generator = anHourAgo();
    LiveSchedule schedule = new LiveSchedule(generator::nominalTime, OUT_OF_ORDERNESS);
    long before = System.currentTimeMillis();
    Instant first = schedule.apply(100L);
    long after = System.currentTimeMillis();

    // Position 100 is the first asked for: stamped now (less the out-of-orderness), not an hour ago.
    assertThat(first.plus(OUT_OF_ORDERNESS).getMillis()).isBetween(before, after);
    // Later positions keep the nominal spacing (100 ms at 10/s), whenever they are asked for.
    assertThat(schedule.apply(110L)).isEqualTo(first.plus(Duration.millis(1000)));
    assertThat(schedule.apply(100L)).isEqualTo(first);
    // The shift is recovered from a timestamp, as the records' generator needs it.
    long shift = LiveSchedule.shiftOf(first, generator.nominalTime(100), OUT_OF_ORDERNESS);
    assertThat(generator.startingAt(generator.nominalTime(0).plus(Duration.millis(shift))).nominalTime(100))
        .isEqualTo(first.plus(OUT_OF_ORDERNESS));
  }

  @Test
  void aStartInTheFutureIsNotMovedAndEachScheduleHasItsOwnShift() {
    Instant future = Instant.now().plus(Duration.standardHours(1));
    LiveSchedule later = new LiveSchedule(n -> future.plus(Duration.millis(n)), Duration.ZERO);
    assertThat(later.apply(5L)).isEqualTo(future.plus(Duration.millis(5)));

    ClickstreamGenerator generator = anHourAgo();
    Instant one = new LiveSchedule(generator::nominalTime, Duration.ZERO).apply(0L);
    Instant two = new LiveSchedule(generator::nominalTime, Duration.ZERO).apply(36_000L); // nominally now
    assertThat(one.getMillis()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
    assertThat(two.getMillis()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
  }

  /** The records of a live read carry the event times of their timestamps, not the configured start's. */
  @Test
  void recordsOfALiveReadCarryTheShiftedEventTimes(TestPipeline p) {
    ClickstreamGenerator generator = anHourAgo();
    LiveSchedule schedule = new LiveSchedule(generator::nominalTime, OUT_OF_ORDERNESS);
    List<TimestampedValue<Long>> positions = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (long n = 0; n < 20; n++) {
      Instant timestamp = schedule.apply(n);
      positions.add(TimestampedValue.of(n, timestamp));
      expected.add(n + " " + timestamp.plus(OUT_OF_ORDERNESS) + " " + timestamp);
    }
    PCollection<String> times = p.apply(Create.timestamped(positions))
        .apply(ParDo.of(new SyntheticReads.GenerateFn(generator, OUT_OF_ORDERNESS, true)))
        .apply(ParDo.of(new EventTimeFn()));
    PAssert.that(times).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  /** "position event_time timestamp" of a generated record. */
  static final class EventTimeFn extends DoFn<RawRecord, String> {
    @ProcessElement
    public void process(@Element RawRecord record, @Timestamp Instant timestamp, OutputReceiver<String> out) {
      ClickEventParser.Outcome outcome = new ClickEventParser(1 << 20).parse(record.payload());
      out.output(record.source().replace("synthetic:", "") + " " + outcome.event().getEventTime() + " " + timestamp);
    }
  }
}
