package dev.millrace.transforms.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class WindowingTest {
  private static final Duration MINUTE = Duration.standardMinutes(1);

  @Test
  void everyShapeStartsWithTheSameLateHandling() {
    for (Windowing w : new Windowing[] {
        Windowing.fixed(MINUTE), Windowing.sliding(Duration.standardMinutes(10), MINUTE), Windowing.sessions(MINUTE)}) {
      assertThat(w.allowedLateness()).isEqualTo(Duration.standardMinutes(5)).isEqualTo(Windowing.DEFAULT_ALLOWED_LATENESS);
      assertThat(w.lateFiringDelay()).isEqualTo(Duration.standardSeconds(10)).isEqualTo(Windowing.DEFAULT_LATE_FIRING_DELAY);
      assertThat(w.earlyFiringInterval()).isNull();
    }
  }

  @Test
  void intoAppliesTheShapeLatenessAndAccumulatingPanes() {
    WindowingStrategy<?, ?> fixed = strategy(Windowing.fixed(MINUTE).withAllowedLateness(Duration.standardMinutes(2)));
    assertThat(fixed.getWindowFn()).isEqualTo(FixedWindows.of(MINUTE));
    assertThat(fixed.getAllowedLateness()).isEqualTo(Duration.standardMinutes(2));
    assertThat(fixed.getMode()).isEqualTo(WindowingStrategy.AccumulationMode.ACCUMULATING_FIRED_PANES);
    assertThat(fixed.getOnTimeBehavior()).isEqualTo(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY);

    assertThat(strategy(Windowing.sliding(Duration.standardMinutes(10), MINUTE)).getWindowFn())
        .isEqualTo(SlidingWindows.of(Duration.standardMinutes(10)).every(MINUTE));
    assertThat(strategy(Windowing.sessions(Duration.standardMinutes(30))).getWindowFn())
        .isEqualTo(Sessions.withGapDuration(Duration.standardMinutes(30)));
  }

  @Test
  void lateAndEarlyFiringsShapeTheTrigger() {
    String atOnce = strategy(Windowing.fixed(MINUTE).withLateFiringDelay(Duration.ZERO)).getTrigger().toString();
    String delayed = strategy(Windowing.fixed(MINUTE)).getTrigger().toString();
    String early = strategy(Windowing.fixed(MINUTE).withEarlyFiringsEvery(Duration.standardSeconds(30)))
        .getTrigger().toString();
    assertThat(atOnce).contains("AfterPane.elementCountAtLeast(1)").doesNotContain("AfterProcessingTime");
    assertThat(delayed).contains("plusDelayOf(10 seconds)");
    assertThat(early).contains("withEarlyFirings").contains("plusDelayOf(30 seconds)");
    assertThat(strategy(Windowing.fixed(MINUTE)).getTrigger()).isInstanceOf(AfterWatermark.AfterWatermarkEarlyAndLate.class);
  }

  @Test
  void perPeriodIsFixedWindowsOfThePeriodWithTheSamePanes() {
    Windowing sliding = Windowing.sliding(Duration.standardMinutes(10), MINUTE).withAllowedLateness(Duration.ZERO);
    Windowing period = sliding.perPeriod();
    assertThat(period.kind()).isEqualTo(Windowing.Kind.FIXED);
    assertThat(period.size()).isEqualTo(MINUTE);
    assertThat(period.allowedLateness()).isEqualTo(Duration.ZERO);
    assertThat(period.lateFiringDelay()).isEqualTo(sliding.lateFiringDelay());
  }

  @Test
  void rejectsWhatIsNotADuration() {
    assertThatThrownBy(() -> Windowing.fixed(Duration.ZERO)).hasMessageContaining("windowSize must be a positive");
    assertThatThrownBy(() -> Windowing.fixed(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Windowing.sliding(MINUTE, Duration.standardMinutes(2)))
        .hasMessageContaining("must not be longer than size");
    assertThatThrownBy(() -> Windowing.sliding(MINUTE, Duration.ZERO)).hasMessageContaining("windowPeriod");
    assertThatThrownBy(() -> Windowing.sessions(Duration.millis(-1))).hasMessageContaining("session gap");
    assertThatThrownBy(() -> Windowing.fixed(MINUTE).withAllowedLateness(Duration.millis(-1)))
        .hasMessageContaining("allowedLateness must be zero or positive");
    assertThatThrownBy(() -> Windowing.fixed(MINUTE).withLateFiringDelay(Duration.millis(-1)))
        .hasMessageContaining("lateFiringDelay must be zero or positive");
    assertThatThrownBy(() -> Windowing.fixed(MINUTE).withEarlyFiringsEvery(Duration.ZERO))
        .hasMessageContaining("early firing interval");
    // Zero is a lateness and a delay, not an error.
    assertThat(Windowing.fixed(MINUTE).withAllowedLateness(Duration.ZERO).withLateFiringDelay(Duration.ZERO).allowedLateness())
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void requireKindNamesWhatNeedsWhichWindows() {
    Windowing fixed = Windowing.fixed(MINUTE);
    assertThat(Windowing.requireKind(Windowing.Kind.FIXED, fixed, "x")).isSameAs(fixed);
    assertThatThrownBy(() -> Windowing.requireKind(Windowing.Kind.SLIDING, fixed, "measures"))
        .hasMessageContaining("measures need sliding windows");
    assertThatThrownBy(() -> Windowing.requireKind(Windowing.Kind.FIXED, null, "stats"))
        .hasMessageContaining("stats need fixed windows, but got: null");
  }

  private static WindowingStrategy<?, ?> strategy(Windowing windowing) {
    return windowing.<String>into().getOutputStrategyInternal(WindowingStrategy.globalDefault());
  }
}
