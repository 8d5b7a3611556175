package dev.millrace.io.kinesis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Wraps an unbounded source so that each element's timestamp is its event time (from {@code
 * eventTimeFn}) instead of what the source says (Kinesis: arrival time). Timestamps must be right at
 * the source: a later step that moves them back to event time lets the watermark run ahead of
 * elements still in flight, and when a bounded read ends every replayed old event is dropped as
 * late.
 *
 * <p>Its checkpoint mark is the delegate's plus the reader's watermark. A reader restored from it
 * starts at that watermark (see {@link EventTimeWatermarkPolicy#RESTORED_WATERMARK}) instead of
 * starting from nothing, which a fresh watermark policy would otherwise take for an idle shard.
 */
final class EventTimeSource<T, CheckpointT extends UnboundedSource.CheckpointMark>
    extends UnboundedSource<T, EventTimeSource.Mark<CheckpointT>> {
  /** Splits made at the least: enough for a rescale of a small job up to this parallelism. */
  static final int MIN_SPLITS = 8;

  private final UnboundedSource<T, CheckpointT> delegate;
  private final SerializableFunction<T, Instant> eventTimeFn;
  /** A split that reads nothing and whose watermark is the end of time (see {@link #split}). */
  private final boolean placeholder;

  EventTimeSource(UnboundedSource<T, CheckpointT> delegate, SerializableFunction<T, Instant> eventTimeFn) {
    this(delegate, eventTimeFn, false);
  }

  private EventTimeSource(
      UnboundedSource<T, CheckpointT> delegate, SerializableFunction<T, Instant> eventTimeFn, boolean placeholder) {
    this.delegate = delegate;
    this.eventTimeFn = eventTimeFn;
    this.placeholder = placeholder;
  }

  /** The delegate's checkpoint mark and the watermark the reader had reached when it was taken. */
  static final class Mark<C extends UnboundedSource.CheckpointMark> implements UnboundedSource.CheckpointMark {
    final @Nullable C delegate;
    final Instant watermark;

    Mark(@Nullable C delegate, Instant watermark) {
      this.delegate = delegate;
      this.watermark = watermark;
    }

    @Override
    public void finalizeCheckpoint() throws IOException {
      if (delegate != null) {
        delegate.finalizeCheckpoint();
      }
    }
  }

  static final class MarkCoder<C extends UnboundedSource.CheckpointMark> extends CustomCoder<Mark<C>> {
    private final Coder<C> delegate;

    MarkCoder(Coder<C> delegate) {
      this.delegate = delegate;
    }

    @Override
    public void encode(Mark<C> mark, OutputStream out) throws IOException {
      out.write(mark.delegate == null ? 0 : 1);
      if (mark.delegate != null) {
        delegate.encode(mark.delegate, out);
      }
      InstantCoder.of().encode(mark.watermark, out);
    }

    @Override
    public Mark<C> decode(InputStream in) throws IOException {
      int present = in.read();
      if (present < 0) {
        throw new java.io.EOFException("empty checkpoint mark");
      }
      C mark = present == 1 ? delegate.decode(in) : null;
      return new Mark<>(mark, InstantCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      delegate.verifyDeterministic();
    }
  }

  /**
   * One split that reads every shard, then placeholders up to {@code desiredNumSplits} (at least
   * {@link #MIN_SPLITS} splits in all) that read nothing and whose watermark is the end of time.
   *
   * <p>Why not Beam's split (shards divided among splits): Beam's Kinesis reader waits up to 1 s in
   * {@code advance()} when it has nothing, and Flink's source reader takes one record from each
   * split it holds in turn. A task holding two such splits (after a restore at lower parallelism)
   * read the one with a backlog at about one record per second while the other was caught up. Why
   * the placeholders: a Flink source task given no split at all never moves its watermark, which
   * held every window back; a placeholder answers at once and never holds the watermark.
   */
  @Override
  public List<EventTimeSource<T, CheckpointT>> split(int desiredNumSplits, PipelineOptions options)
      throws Exception {
    List<EventTimeSource<T, CheckpointT>> splits = new ArrayList<>();
    for (UnboundedSource<T, CheckpointT> split : delegate.split(1, options)) {
      splits.add(new EventTimeSource<>(split, eventTimeFn));
    }
    // At least MIN_SPLITS, so that a job restored at a higher parallelism (splits are made once, at
    // the first submission) still gives every source task a split.
    while (splits.size() < Math.max(desiredNumSplits, MIN_SPLITS)) {
      splits.add(new EventTimeSource<>(delegate, eventTimeFn, true));
    }
    return splits;
  }

  /** True for a split that reads nothing. */
  boolean isPlaceholder() {
    return placeholder;
  }

  @Override
  public UnboundedReader<T> createReader(PipelineOptions options, @Nullable Mark<CheckpointT> checkpoint)
      throws IOException {
    if (placeholder) {
      return new PlaceholderReader();
    }
    Instant restored = checkpoint == null ? null : checkpoint.watermark;
    return new EventTimeReader(
        withRestoredWatermark(restored, () -> delegate.createReader(options, checkpoint == null ? null : checkpoint.delegate)),
        restored);
  }

  @Override
  public Coder<Mark<CheckpointT>> getCheckpointMarkCoder() {
    return new MarkCoder<>(delegate.getCheckpointMarkCoder());
  }

  @Override
  public Coder<T> getOutputCoder() {
    return delegate.getOutputCoder();
  }

  @Override
  public boolean requiresDeduping() {
    return delegate.requiresDeduping();
  }

  /** Reads nothing, at once; its watermark never holds anything back. */
  private final class PlaceholderReader extends UnboundedReader<T> {
    @Override
    public boolean start() {
      return false;
    }

    @Override
    public boolean advance() {
      return false;
    }

    @Override
    public T getCurrent() throws NoSuchElementException {
      throw new NoSuchElementException("a placeholder split reads nothing");
    }

    @Override
    public Instant getCurrentTimestamp() throws NoSuchElementException {
      throw new NoSuchElementException("a placeholder split reads nothing");
    }

    @Override
    public Instant getWatermark() {
      return BoundedWindow.TIMESTAMP_MAX_VALUE;
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return new Mark<CheckpointT>(null, BoundedWindow.TIMESTAMP_MAX_VALUE);
    }

    @Override
    public UnboundedSource<T, ?> getCurrentSource() {
      return EventTimeSource.this;
    }

    @Override
    public void close() {}
  }

  interface IoCall<R> {
    R call() throws IOException;
  }

  /** Runs {@code call} with the watermark policies it builds on this thread starting at {@code restored}. */
  static <R> R withRestoredWatermark(@Nullable Instant restored, IoCall<R> call) throws IOException {
    if (restored == null) {
      return call.call();
    }
    EventTimeWatermarkPolicy.RESTORED_WATERMARK.set(restored);
    try {
      return call.call();
    } finally {
      EventTimeWatermarkPolicy.RESTORED_WATERMARK.remove();
    }
  }

  private final class EventTimeReader extends UnboundedReader<T> {
    private final UnboundedReader<T> reader;
    private final @Nullable Instant restored;
    private boolean started;
    private Instant lastWatermark;

    EventTimeReader(UnboundedReader<T> reader, @Nullable Instant restored) {
      this.reader = reader;
      this.restored = restored;
      this.lastWatermark = restored != null ? restored : BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    public boolean start() throws IOException {
      // Beam's Kinesis reader builds its per-shard watermark policies here.
      boolean available = withRestoredWatermark(restored, reader::start);
      started = true;
      return available;
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

    /**
     * The delegate's watermark, never behind one already given. Before {@code start()}, and whenever
     * it has no shard to read, Beam's Kinesis reader answers the end of time (the minimum over no
     * shards); a runner that asks then (Flink's source asks on a timer, before a restored reader has
     * started) would fire every window and drop all later input as late. Such an answer is taken as
     * "no news": the last watermark stands.
     */
    @Override
    public Instant getWatermark() {
      if (!started) {
        return lastWatermark;
      }
      Instant watermark = reader.getWatermark();
      if (!watermark.isBefore(BoundedWindow.TIMESTAMP_MAX_VALUE)) {
        return lastWatermark;
      }
      if (watermark.isAfter(lastWatermark)) {
        lastWatermark = watermark;
      }
      return lastWatermark;
    }

    @Override
    @SuppressWarnings("unchecked")
    public CheckpointMark getCheckpointMark() {
      return new Mark<>((CheckpointT) reader.getCheckpointMark(), getWatermark());
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
