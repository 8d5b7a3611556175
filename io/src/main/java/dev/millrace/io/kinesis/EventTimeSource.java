package dev.millrace.io.kinesis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Wraps an unbounded source so that each element's timestamp is its event time (from {@code
 * eventTimeFn}) instead of what the source says (Kinesis: arrival time). Timestamps must be right at
 * the source: a later step that moves them back to event time lets the watermark run ahead of
 * elements still in flight, and when a bounded read ends every replayed old event is dropped as
 * late.
 */
final class EventTimeSource<T, CheckpointT extends UnboundedSource.CheckpointMark>
    extends UnboundedSource<T, CheckpointT> {
  private final UnboundedSource<T, CheckpointT> delegate;
  private final SerializableFunction<T, Instant> eventTimeFn;

  EventTimeSource(UnboundedSource<T, CheckpointT> delegate, SerializableFunction<T, Instant> eventTimeFn) {
    this.delegate = delegate;
    this.eventTimeFn = eventTimeFn;
  }

  @Override
  public List<EventTimeSource<T, CheckpointT>> split(int desiredNumSplits, PipelineOptions options)
      throws Exception {
    List<EventTimeSource<T, CheckpointT>> splits = new ArrayList<>();
    for (UnboundedSource<T, CheckpointT> split : delegate.split(desiredNumSplits, options)) {
      splits.add(new EventTimeSource<>(split, eventTimeFn));
    }
    return splits;
  }

  @Override
  public UnboundedReader<T> createReader(PipelineOptions options, @Nullable CheckpointT checkpoint)
      throws IOException {
    return new EventTimeReader(delegate.createReader(options, checkpoint));
  }

  @Override
  public Coder<CheckpointT> getCheckpointMarkCoder() {
    return delegate.getCheckpointMarkCoder();
  }

  @Override
  public Coder<T> getOutputCoder() {
    return delegate.getOutputCoder();
  }

  @Override
  public boolean requiresDeduping() {
    return delegate.requiresDeduping();
  }

  private final class EventTimeReader extends UnboundedReader<T> {
    private final UnboundedReader<T> reader;

    EventTimeReader(UnboundedReader<T> reader) {
      this.reader = reader;
    }

    @Override
    public boolean start() throws IOException {
      return reader.start();
    }

    @Override
    public boolean advance() throws IOException {
      return reader.advance();
    }

    @Override
    public T getCurrent() throws NoSuchElementException {
      return reader.getCurrent();
    }

    @Override
    public Instant getCurrentTimestamp() throws NoSuchElementException {
      return eventTimeFn.apply(reader.getCurrent());
    }

    @Override
    public byte[] getCurrentRecordId() throws NoSuchElementException {
      return reader.getCurrentRecordId();
    }

    @Override
    public Instant getWatermark() {
      return reader.getWatermark();
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return reader.getCheckpointMark();
    }

    @Override
    public UnboundedSource<T, ?> getCurrentSource() {
      return EventTimeSource.this;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
