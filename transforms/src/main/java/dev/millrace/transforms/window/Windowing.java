package dev.millrace.transforms.window;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Millrace's event-time windows and their panes, one value for every windowed step: the windows
 * (fixed, sliding or sessions), how long late records still update a window, and when panes fire.
 * An ON_TIME pane fires when the watermark passes a window's end, optional EARLY panes on processing
 * time, LATE correction panes for records within the allowed lateness; panes accumulate, so the last
 * pane of a window holds its final numbers. The defaults are the templates' (see {@code
 * WindowingOptions}): 5 minutes of lateness, late records collected for 10 seconds into one pane.
 *
 * <pre>{@code
 * Windowing windows = Windowing.fixed(Duration.standardMinutes(1)).withLateFiringDelay(Duration.ZERO);
 * events.apply("WindowIntoFixedWindows", windows.<ClickEvent>into());
 * }</pre>
 */
@AutoValue
public abstract class Windowing implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.standardMinutes(5);
  public static final Duration DEFAULT_LATE_FIRING_DELAY = Duration.standardSeconds(10);

  /** The shape of the windows. */
  public enum Kind {
    FIXED("fixed"),
    SLIDING("sliding"),
    SESSIONS("session");

    private final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  public abstract Kind kind();

  /** A fixed or sliding window's length; for sessions, the gap that ends one. */
  public abstract Duration size();

  /** How often sliding windows start; a fixed window's period is its size. */
  public abstract Duration period();

  public abstract Duration allowedLateness();

  public abstract @Nullable Duration earlyFiringInterval();

  public abstract Duration lateFiringDelay();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setKind(Kind kind);

    abstract Builder setSize(Duration size);

    abstract Builder setPeriod(Duration period);

    abstract Builder setAllowedLateness(Duration lateness);

    abstract Builder setEarlyFiringInterval(@Nullable Duration interval);

    abstract Builder setLateFiringDelay(Duration delay);

    abstract Windowing build();
  }

  /** Fixed windows of {@code size}, aligned to the epoch. */
  public static Windowing fixed(Duration size) {
    return of(Kind.FIXED, positive("windowSize", size), size);
  }

  /** Windows of {@code size} starting every {@code period} (aligned to the epoch); the period fits in the size. */
  public static Windowing sliding(Duration size, Duration period) {
    positive("windowSize", size);
    positive("windowPeriod", period);
    checkArgument(!period.isLongerThan(size), "period %s must not be longer than size %s", period, size);
    return of(Kind.SLIDING, size, period);
  }

  /**
   * Session windows per key: a gap of exactly {@code gap} between two records starts a new session
   * (Beam's session windows are half-open).
   */
  public static Windowing sessions(Duration gap) {
    return of(Kind.SESSIONS, positive("session gap", gap), gap);
  }

  private static Windowing of(Kind kind, Duration size, Duration period) {
    return new AutoValue_Windowing.Builder()
        .setKind(kind)
        .setSize(size)
        .setPeriod(period)
        .setAllowedLateness(DEFAULT_ALLOWED_LATENESS)
        .setLateFiringDelay(DEFAULT_LATE_FIRING_DELAY)
        .build();
  }

  /** How long after a window's end late records still update it; later ones are dropped (and counted). */
  public Windowing withAllowedLateness(Duration lateness) {
    return toBuilder().setAllowedLateness(notNegative("allowedLateness", lateness)).build();
  }

  /**
   * Collect late records for this long (processing time) before firing a LATE pane, instead of one
   * pane per late record; in streaming each pane is a file. Zero fires at once.
   */
  public Windowing withLateFiringDelay(Duration delay) {
    return toBuilder().setLateFiringDelay(notNegative("lateFiringDelay", delay)).build();
  }

  /** Also fire EARLY panes this long (processing time) after the first record of a pane. */
  public Windowing withEarlyFiringsEvery(Duration interval) {
    return toBuilder().setEarlyFiringInterval(positive("early firing interval", interval)).build();
  }

  /** Fixed windows of this value's period with the same panes: one period of a sliding window. */
  public Windowing perPeriod() {
    return toBuilder().setKind(Kind.FIXED).setSize(period()).build();
  }

  /** The {@link Window} transform: these windows, their trigger and lateness, accumulating panes. */
  public <T> Window<T> into() {
    return Window.<T>into(windowFn())
        .triggering(trigger())
        .withAllowedLateness(allowedLateness())
        // An on-time pane with nothing new would repeat the last early pane.
        .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
        .accumulatingFiredPanes();
  }

  @SuppressWarnings("unchecked")
  private <T> WindowFn<T, ?> windowFn() {
    switch (kind()) {
      case FIXED:
        return (WindowFn<T, ?>) FixedWindows.of(size());
      case SLIDING:
        return (WindowFn<T, ?>) SlidingWindows.of(size()).every(period());
      default:
        return (WindowFn<T, ?>) Sessions.withGapDuration(size());
    }
  }

  private Trigger trigger() {
    // Late data fires a correction pane at once, or after a short delay that batches late records
    // into one pane (and one file); the window's final pane fires when it expires either way.
    Trigger.OnceTrigger late =
        lateFiringDelay().isLongerThan(Duration.ZERO)
            ? AfterProcessingTime.pastFirstElementInPane().plusDelayOf(lateFiringDelay())
            : AfterPane.elementCountAtLeast(1);
    AfterWatermark.AfterWatermarkEarlyAndLate onTime = AfterWatermark.pastEndOfWindow().withLateFirings(late);
    Duration early = earlyFiringInterval();
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

  /** {@code windowing}, if it is of {@code kind}; else an error naming what needs that kind. */
  public static Windowing requireKind(Kind kind, @Nullable Windowing windowing, String what) {
    checkArgument(windowing != null && windowing.kind() == kind,
        "%s need %s windows, but got: %s", what, kind.label, windowing);
    return windowing;
  }

  private static Duration positive(String name, Duration d) {
    checkArgument(d != null && d.isLongerThan(Duration.ZERO), "%s must be a positive duration, but was: %s", name, d);
    return d;
  }

  private static Duration notNegative(String name, Duration d) {
    checkArgument(d != null && !d.isShorterThan(Duration.ZERO), "%s must be zero or positive, but was: %s", name, d);
    return d;
  }
}
