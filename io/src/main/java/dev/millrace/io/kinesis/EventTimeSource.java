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
import org.apache.beam.sdk.coders.VarLongCoder;
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
  /** The most records to read, or {@link #NO_LIMIT}; see {@link #withLimit}. */
  private final long limit;

  static final long NO_LIMIT = -1;

  /** The splits made for Spark's first micro-batch, served again for each later one. */
  private transient @Nullable List<EventTimeSource<T, CheckpointT>> sparkSplits;

  EventTimeSource(UnboundedSource<T, CheckpointT> delegate, SerializableFunction<T, Instant> eventTimeFn) {
    this(delegate, eventTimeFn, false, NO_LIMIT);
  }

  private EventTimeSource(
      UnboundedSource<T, CheckpointT> delegate,
      SerializableFunction<T, Instant> eventTimeFn,
      boolean placeholder,
      long limit) {
    this.delegate = delegate;
    this.eventTimeFn = eventTimeFn;
    this.placeholder = placeholder;
    this.limit = limit;
  }

  /**
   * Reads at most {@code limit} records, then moves the watermark to the end of time: the input
   * stays unbounded (a streaming job), yet every window becomes final once the records are read. The
   * count is kept in the checkpoint mark, so a reader resumed from one goes on counting (a runner
   * that rebuilds its readers each micro-batch, like Spark's, resumes them all the time). One split
   * reads every shard (see {@link #split}), so its count is the stream's.
   */
  EventTimeSource<T, CheckpointT> withLimit(long limit) {
    return new EventTimeSource<>(delegate, eventTimeFn, placeholder, limit);
  }

  /**
   * The delegate's checkpoint mark, the watermark the reader had reached when it was taken, and the
   * records read so far (counted only under a limit).
   */
  static final class Mark<C extends UnboundedSource.CheckpointMark> implements UnboundedSource.CheckpointMark {
    final @Nullable C delegate;
    final Instant watermark;
    final long read;

    Mark(@Nullable C delegate, Instant watermark) {
      this(delegate, watermark, 0);
    }

    Mark(@Nullable C delegate, Instant watermark, long read) {
      this.delegate = delegate;
      this.watermark = watermark;
      this.read = read;
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

    // The first byte: 1 if the delegate's mark follows, + 2 if a count of records read ends the
    // mark (marks without a count, as written before limits existed, still decode).
    private static final int HAS_DELEGATE = 1;
    private static final int HAS_COUNT = 2;

    @Override
    public void encode(Mark<C> mark, OutputStream out) throws IOException {
      out.write((mark.delegate == null ? 0 : HAS_DELEGATE) | (mark.read == 0 ? 0 : HAS_COUNT));
      if (mark.delegate != null) {
        delegate.encode(mark.delegate, out);
      }
      InstantCoder.of().encode(mark.watermark, out);
      if (mark.read != 0) {
        VarLongCoder.of().encode(mark.read, out);
      }
    }

    @Override
    public Mark<C> decode(InputStream in) throws IOException {
      int flags = in.read();
      if (flags < 0) {
        throw new java.io.EOFException("empty checkpoint mark");
      }
      C mark = (flags & HAS_DELEGATE) != 0 ? delegate.decode(in) : null;
      Instant watermark = InstantCoder.of().decode(in);
      long read = (flags & HAS_COUNT) != 0 ? VarLongCoder.of().decode(in) : 0;
      return new Mark<>(mark, watermark, read);
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
    boolean spark = options.getRunner().getSimpleName().contains("Spark");
    if (spark && sparkSplits != null) {
      return sparkSplits;
    }
    List<EventTimeSource<T, CheckpointT>> splits = new ArrayList<>();
    for (UnboundedSource<T, CheckpointT> split : delegate.split(1, options)) {
      splits.add(new EventTimeSource<>(split, eventTimeFn, false, limit));
    }
    if (spark) {
      // Beam's Spark runner takes a source's watermark as the highest of its splits' (Beam 2.70,
      // SparkUnboundedSource.ReadReportDStream): a placeholder at the end of time would close every
      // window at once. Its tasks need no placeholder either: a split-less task is never scheduled.
      // It also splits again for every micro-batch (its readers resume from their checkpoints, so
      // the first splits serve): kept, rather than listing the shards each batch.
      sparkSplits = splits;
      return splits;
    }
    // At least MIN_SPLITS, so that a job restored at a higher parallelism (splits are made once, at
    // the first submission) still gives every source task a split.
    while (splits.size() < Math.max(desiredNumSplits, MIN_SPLITS)) {
      splits.add(new EventTimeSource<>(delegate, eventTimeFn, true, NO_LIMIT));
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
        restored,
        checkpoint == null ? null : checkpoint.delegate,
        checkpoint == null ? 0 : checkpoint.read);
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
    /** The delegate's position this reader resumed from: its mark while the delegate is not started. */
    private final @Nullable CheckpointT restoredPosition;
    private boolean delegateStarted;
    /** Records read, counting those before the checkpoint this reader resumed from. */
    private long read;
    /** The limit was reached and the runner was told there is nothing more. */
    private boolean ended;

    EventTimeReader(UnboundedReader<T> reader, @Nullable Instant restored, @Nullable CheckpointT restoredPosition, long read) {
      this.reader = reader;
      this.restored = restored;
      this.restoredPosition = restoredPosition;
      this.lastWatermark = restored != null ? restored : BoundedWindow.TIMESTAMP_MIN_VALUE;
      this.read = read;
    }

    @Override
    public boolean start() throws IOException {
      if (atLimit()) {
        // Nothing more to read: the delegate is not started, so it fetches nothing.
        started = true;
        ended = true;
        return false;
      }
      // Beam's Kinesis reader builds its per-shard watermark policies here.
      boolean available = withRestoredWatermark(restored, reader::start);
      started = true;
      delegateStarted = true;
      return counted(available);
    }

    @Override
    public boolean advance() throws IOException {
      if (atLimit()) {
        ended = true;
        return false;
      }
      return counted(reader.advance());
    }

    private boolean atLimit() {
      return limit != NO_LIMIT && read >= limit;
    }

    private boolean counted(boolean available) {
      if (available) {
        read++;
      }
      return available;
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
      if (ended) {
        return BoundedWindow.TIMESTAMP_MAX_VALUE;
      }
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
      // A reader that ended without starting its delegate keeps the position it resumed from.
      CheckpointT position = ended && !delegateStarted ? restoredPosition : (CheckpointT) reader.getCheckpointMark();
      return new Mark<>(position, getWatermark(), limit == NO_LIMIT ? 0 : read);
    }

    @Override
    public UnboundedSource<T, ?> getCurrentSource() {
      return EventTimeSource.this;
    }

    @Override
    public void close() throws IOException {
      if (delegateStarted) {
        reader.close();
      }
    }
  }
}
