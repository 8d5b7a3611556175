package dev.millrace.transforms.window;

import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Millrace's fixed event-time windows and their panes, shared by every windowed dataset: an ON_TIME
 * pane when the watermark passes the window's end, optional EARLY panes, LATE correction panes for
 * events within the allowed lateness, accumulating (the last pane of a window holds its final numbers).
 */
public final class WindowPanes {
  private WindowPanes() {}

  public static <T> Window<T> fixedWindows(
      Duration size, Duration allowedLateness, @Nullable Duration earlyFiringInterval, Duration lateFiringDelay) {
    return Window.<T>into(FixedWindows.of(size))
        .triggering(trigger(earlyFiringInterval, lateFiringDelay))
        .withAllowedLateness(allowedLateness)
        // An on-time pane with nothing new would repeat the last early pane.
        .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
        .accumulatingFiredPanes();
  }

  /**
   * Sliding event-time windows of {@code size} every {@code period} (epoch-aligned), with the same
   * panes as {@link #fixedWindows}: ON_TIME, then a LATE pane per late batch, accumulating.
   */
  public static <T> Window<T> slidingWindows(
      Duration size, Duration period, Duration allowedLateness, Duration lateFiringDelay) {
    return Window.<T>into(SlidingWindows.of(size).every(period))
        .triggering(trigger(null, lateFiringDelay))
        .withAllowedLateness(allowedLateness)
        .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
        .accumulatingFiredPanes();
  }

  private static Trigger trigger(@Nullable Duration early, Duration lateFiringDelay) {
    // Late data fires a correction pane at once, or after a short delay that batches late events
    // into one pane (and one file); the window's final pane fires when it expires either way.
    Trigger.OnceTrigger late =
        lateFiringDelay.isLongerThan(Duration.ZERO)
            ? AfterProcessingTime.pastFirstElementInPane().plusDelayOf(lateFiringDelay)
            : AfterPane.elementCountAtLeast(1);
    AfterWatermark.AfterWatermarkEarlyAndLate onTime = AfterWatermark.pastEndOfWindow().withLateFirings(late);
    return early == null
        ? onTime
        : onTime.withEarlyFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(early));
  }

  /**
   * Some runners give no pane information in batch (Flink's batch GroupReduce reports UNKNOWN); the
   * one pane of a window in a bounded run is its on-time pane, and is reported as such everywhere.
   */
  public static String timingOf(PaneInfo pane) {
    if (pane.getTiming() == PaneInfo.Timing.UNKNOWN && pane.isFirst() && pane.isLast()) {
      return PaneInfo.Timing.ON_TIME.name();
    }
    return pane.getTiming().name();
  }
}
