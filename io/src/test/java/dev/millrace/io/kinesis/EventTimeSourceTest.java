package dev.millrace.io.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The reader's watermark across a restore: never "the end of time" because the wrapped reader has
 * no shard yet, never behind the checkpointed watermark, and carried in the checkpoint mark.
 */
class EventTimeSourceTest {
  static final Instant MARCH = Instant.parse("2026-03-01T10:00:00Z");
  final PipelineOptions options = PipelineOptionsFactory.create();

  /** A reader like Beam's Kinesis reader: the end of time before start(), then what the test sets. */
  static final class StubSource extends UnboundedSource<String, StubSource.Mark> {
    static Instant watermarkAfterStart = BoundedWindow.TIMESTAMP_MIN_VALUE;

    static final class Mark implements UnboundedSource.CheckpointMark, java.io.Serializable {
      @Override
      public void finalizeCheckpoint() {}
    }

    @Override
    public List<StubSource> split(int desiredNumSplits, PipelineOptions options) {
      return List.of(this);
    }

    @Override
    public UnboundedReader<String> createReader(PipelineOptions options, @Nullable Mark checkpoint) {
      return new UnboundedReader<>() {
        boolean started;

        @Override
        public boolean start() {
          started = true;
          return false;
        }

        @Override
        public boolean advance() {
          return false;
        }

        @Override
        public String getCurrent() {
          throw new NoSuchElementException();
        }

        @Override
        public Instant getCurrentTimestamp() {
          throw new NoSuchElementException();
        }

        @Override
        public void close() {}

        @Override
        public Instant getWatermark() {
          return started ? watermarkAfterStart : BoundedWindow.TIMESTAMP_MAX_VALUE;
        }

        @Override
        public CheckpointMark getCheckpointMark() {
          return new Mark();
        }

        @Override
        public UnboundedSource<String, ?> getCurrentSource() {
          return StubSource.this;
        }
      };
    }

    @Override
    public Coder<Mark> getCheckpointMarkCoder() {
      return org.apache.beam.sdk.coders.SerializableCoder.of(Mark.class);
    }

    @Override
    public Coder<String> getOutputCoder() {
      return StringUtf8Coder.of();
    }
  }

  final EventTimeSource<String, StubSource.Mark> source = new EventTimeSource<>(new StubSource(), s -> MARCH);

  @Test
  void aReaderNotYetStartedOrWithoutShardsDoesNotAnswerTheEndOfTime() throws Exception {
    UnboundedSource.UnboundedReader<String> reader = source.createReader(options, null);
    assertThat(reader.getWatermark()).as("before start()").isEqualTo(BoundedWindow.TIMESTAMP_MIN_VALUE);
    StubSource.watermarkAfterStart = MARCH;
    reader.start();
    assertThat(reader.getWatermark()).isEqualTo(MARCH);
    StubSource.watermarkAfterStart = BoundedWindow.TIMESTAMP_MAX_VALUE; // no shard for a moment
    assertThat(reader.getWatermark()).as("no news: the last watermark stands").isEqualTo(MARCH);
  }

  @Test
  void aRestoredReaderStartsAtTheCheckpointedWatermark() throws Exception {
    StubSource.watermarkAfterStart = MARCH;
    UnboundedSource.UnboundedReader<String> reader = source.createReader(options, null);
    reader.start();
    StubSource.watermarkAfterStart = MARCH.plus(60_000);
    UnboundedSource.CheckpointMark mark = reader.getCheckpointMark();

    // Through the coder, as Flink stores it.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    @SuppressWarnings("unchecked")
    EventTimeSource.Mark<StubSource.Mark> typed = (EventTimeSource.Mark<StubSource.Mark>) mark;
    source.getCheckpointMarkCoder().encode(typed, bytes);
    EventTimeSource.Mark<StubSource.Mark> decoded =
        source.getCheckpointMarkCoder().decode(new ByteArrayInputStream(bytes.toByteArray()));
    assertThat(decoded.watermark).isEqualTo(MARCH.plus(60_000));

    StubSource.watermarkAfterStart = BoundedWindow.TIMESTAMP_MIN_VALUE; // fresh policies know nothing
    UnboundedSource.UnboundedReader<String> restored = source.createReader(options, decoded);
    assertThat(restored.getWatermark()).as("before start()").isEqualTo(MARCH.plus(60_000));
    restored.start();
    assertThat(restored.getWatermark()).as("not behind the checkpoint").isEqualTo(MARCH.plus(60_000));
  }

  /** Numbers 0, 1, 2, ... for ever, resuming after the last one read; closing unstarted fails, as Kinesis's does. */
  static final class CountingSource extends UnboundedSource<String, CountingSource.Position> {
    static final class Position implements UnboundedSource.CheckpointMark, java.io.Serializable {
      final int next;

      Position(int next) {
        this.next = next;
      }

      @Override
      public void finalizeCheckpoint() {}
    }

    @Override
    public List<CountingSource> split(int desiredNumSplits, PipelineOptions options) {
      return List.of(this);
    }

    @Override
    public UnboundedReader<String> createReader(PipelineOptions options, @Nullable Position checkpoint) {
      return new UnboundedReader<>() {
        int current = checkpoint == null ? -1 : checkpoint.next - 1;
        boolean started;

        @Override
        public boolean start() {
          started = true;
          return advance();
        }

        @Override
        public boolean advance() {
          current++;
          return true;
        }

        @Override
        public String getCurrent() {
          return Integer.toString(current);
        }

        @Override
        public Instant getCurrentTimestamp() {
          return MARCH;
        }

        @Override
        public void close() {
          if (!started) {
            throw new NullPointerException("closed before start(), as Beam's Kinesis reader fails");
          }
        }

        @Override
        public Instant getWatermark() {
          return MARCH;
        }

        @Override
        public CheckpointMark getCheckpointMark() {
          return new Position(current + 1);
        }

        @Override
        public UnboundedSource<String, ?> getCurrentSource() {
          return CountingSource.this;
        }
      };
    }

    @Override
    public Coder<Position> getCheckpointMarkCoder() {
      return org.apache.beam.sdk.coders.SerializableCoder.of(Position.class);
    }

    @Override
    public Coder<String> getOutputCoder() {
      return StringUtf8Coder.of();
    }
  }

  @SuppressWarnings("unchecked")
  static <C extends UnboundedSource.CheckpointMark> EventTimeSource.Mark<C> throughTheCoder(
      EventTimeSource<String, C> source, UnboundedSource.CheckpointMark mark) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    source.getCheckpointMarkCoder().encode((EventTimeSource.Mark<C>) mark, bytes);
    return source.getCheckpointMarkCoder().decode(new ByteArrayInputStream(bytes.toByteArray()));
  }

  @Test
  void aLimitedReadCountsAcrossRestoresThenEndsItsWatermark() throws Exception {
    EventTimeSource<String, CountingSource.Position> limited =
        new EventTimeSource<>(new CountingSource(), s -> MARCH).withLimit(5);
    UnboundedSource.UnboundedReader<String> first = limited.createReader(options, null);
    List<String> read = new java.util.ArrayList<>();
    assertThat(first.start()).isTrue();
    read.add(first.getCurrent());
    while (read.size() < 3 && first.advance()) {
      read.add(first.getCurrent());
    }
    EventTimeSource.Mark<CountingSource.Position> mark = throughTheCoder(limited, first.getCheckpointMark());
    assertThat(mark.read).isEqualTo(3);

    // A runner that rebuilds its readers each micro-batch (Spark) resumes from the mark.
    UnboundedSource.UnboundedReader<String> second = limited.createReader(options, mark);
    for (boolean more = second.start(); more; more = second.advance()) {
      read.add(second.getCurrent());
      assertThat(second.getWatermark()).isEqualTo(MARCH);
    }
    assertThat(read).containsExactly("0", "1", "2", "3", "4");
    assertThat(second.getWatermark()).as("after the last record").isEqualTo(BoundedWindow.TIMESTAMP_MAX_VALUE);

    EventTimeSource.Mark<CountingSource.Position> end = throughTheCoder(limited, second.getCheckpointMark());
    UnboundedSource.UnboundedReader<String> third = limited.createReader(options, end);
    assertThat(third.start()).as("nothing after the limit").isFalse();
    assertThat(third.getWatermark()).isEqualTo(BoundedWindow.TIMESTAMP_MAX_VALUE);
    EventTimeSource.Mark<CountingSource.Position> kept = throughTheCoder(limited, third.getCheckpointMark());
    assertThat(kept.delegate.next).as("the position it resumed from").isEqualTo(5);
    assertThat(kept.read).isEqualTo(5);
    third.close(); // its delegate never started: not closed either
  }

  @Test
  void aMarkWrittenWithoutACountStillDecodes() throws Exception {
    // The layout before limits: a byte 1, the delegate's mark, the watermark.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(1);
    org.apache.beam.sdk.coders.SerializableCoder.of(CountingSource.Position.class)
        .encode(new CountingSource.Position(42), bytes);
    org.apache.beam.sdk.coders.InstantCoder.of().encode(MARCH, bytes);
    EventTimeSource<String, CountingSource.Position> plain = new EventTimeSource<>(new CountingSource(), s -> MARCH);
    EventTimeSource.Mark<CountingSource.Position> mark =
        plain.getCheckpointMarkCoder().decode(new ByteArrayInputStream(bytes.toByteArray()));
    assertThat(mark.delegate.next).isEqualTo(42);
    assertThat(mark.watermark).isEqualTo(MARCH);
    assertThat(mark.read).isZero();
  }

  /** Stands in for Beam's SparkRunner (matched by name). */
  public static final class SparkStandInRunner extends org.apache.beam.sdk.PipelineRunner<org.apache.beam.sdk.PipelineResult> {
    public static SparkStandInRunner fromOptions(PipelineOptions options) {
      return new SparkStandInRunner();
    }

    @Override
    public org.apache.beam.sdk.PipelineResult run(org.apache.beam.sdk.Pipeline pipeline) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void onSparkTheOneSplitHasNoPlaceholdersBesideItAndServesEveryMicroBatch() throws Exception {
    // Spark takes a source's watermark as its splits' highest: a placeholder's end of time would win.
    PipelineOptions spark = PipelineOptionsFactory.create();
    spark.setRunner(SparkStandInRunner.class);
    List<EventTimeSource<String, StubSource.Mark>> splits = source.split(2, spark);
    assertThat(splits).hasSize(1).noneMatch(EventTimeSource::isPlaceholder);
    assertThat(source.split(2, spark)).isSameAs(splits);
    assertThat(source.split(2, options)).hasSize(EventTimeSource.MIN_SPLITS).filteredOn(EventTimeSource::isPlaceholder).hasSize(EventTimeSource.MIN_SPLITS - 1);
  }
}
