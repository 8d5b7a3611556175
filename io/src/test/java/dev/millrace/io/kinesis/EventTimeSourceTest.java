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

}
