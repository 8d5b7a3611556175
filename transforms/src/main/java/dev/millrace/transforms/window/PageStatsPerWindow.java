package dev.millrace.transforms.window;

import dev.millrace.model.Accounting;
import dev.millrace.model.ClickEvent;
import dev.millrace.model.PageStats;
import dev.millrace.transforms.aggregate.KeepFieldsRead;
import dev.millrace.transforms.aggregate.PageTotals;
import dev.millrace.transforms.aggregate.PageTotalsFn;
import dev.millrace.transforms.aggregate.PreCombinePerKey;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Per-page statistics in fixed event-time windows. One pane fires when the watermark passes the end
 * of a window (ON_TIME); each late event within the allowed lateness fires a LATE pane; optional
 * EARLY panes fire on processing time. Panes accumulate, so a (window, page)'s last pane holds its
 * final numbers. Events later than the allowed lateness are dropped by the runner and counted.
 *
 * <pre>{@code
 * PCollection<PageStats> stats = events.apply("WindowPageStats",
 *     PageStatsPerWindow.create()
 *         .withWindowing(Windowing.fixed(Duration.standardMinutes(1)).withAllowedLateness(Duration.standardMinutes(5))));
 * }</pre>
 */
public final class PageStatsPerWindow extends PTransform<PCollection<ClickEvent>, PCollection<PageStats>> {
  public static final Duration DEFAULT_WINDOW_SIZE = Duration.standardMinutes(1);

  private final Windowing windowing;

  private PageStatsPerWindow(Windowing windowing) {
    this.windowing = Windowing.requireKind(Windowing.Kind.FIXED, windowing, "page statistics");
  }

  /** Fixed windows of {@link #DEFAULT_WINDOW_SIZE} with {@link Windowing}'s default panes. */
  public static PageStatsPerWindow create() {
    return new PageStatsPerWindow(Windowing.fixed(DEFAULT_WINDOW_SIZE));
  }

  /** The fixed windows, their lateness and panes. */
  public PageStatsPerWindow withWindowing(Windowing windowing) {
    return new PageStatsPerWindow(windowing);
  }

  @Override
  public PCollection<PageStats> expand(PCollection<ClickEvent> events) {
    PCollection<KV<String, ClickEvent>> byPage = events
        .apply("WindowIntoFixedWindows", windowing.<ClickEvent>into())
        .apply("KeyByPage", WithKeys.of(ClickEvent::getPage).withKeyType(TypeDescriptors.strings()));
    return PreCombinePerKey.apply(byPage, "AggregatePerPage", new PageTotalsFn())
        .apply("ToPageStatsRows", ParDo.of(new ToPageStatsFn()));
  }

  /**
   * Keeps of each event only the fields these statistics read (id, time, user, page, action, amount),
   * for the steps before this one: the de-duplication shuffle otherwise carries each event's user
   * agent, referrer, session and country, most of its encoded bytes, to no use.
   */
  public static KeepFieldsRead<ClickEvent> fieldsItReads() {
    return KeepFieldsRead.of(ClickEvent.class, PageStatsPerWindow::withFieldsItReads);
  }

  static ClickEvent withFieldsItReads(ClickEvent event) {
    return event.toBuilder().setSessionId(null).setCountry(null).setUserAgent(null).setReferrer(null).build();
  }

  static String timingOf(PaneInfo pane) {
    return Windowing.timingOf(pane);
  }

  static final class ToPageStatsFn extends DoFn<KV<String, PageTotals>, PageStats> {
    private final Counter emptyPanes = Accounting.counter(Accounting.EMPTY_PANES_SKIPPED);
    @ProcessElement
    public void process(
        @Element KV<String, PageTotals> element,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<PageStats> out) {
      IntervalWindow interval = (IntervalWindow) window;
      PageTotals totals = element.getValue();
      if (totals.events() == 0) {
        // Seen on Flink in streaming: a pane with no events at all. It carries no statistics, and
        // a row of zeros would read as a real (empty) window; skip it, and count it.
        emptyPanes.inc();
        return;
      }
      out.output(
          PageStats.builder()
              .setWindowStart(interval.start())
              .setWindowEnd(interval.end())
              .setPage(element.getKey())
              .setEvents(totals.events())
              .setViews(totals.views())
              .setClicks(totals.clicks())
              .setAddToCarts(totals.addToCarts())
              .setPurchases(totals.purchases())
              .setRevenue(totals.revenue())
              .setUniqueUsers(totals.uniqueUsers())
              .setPaneIndex(pane.getIndex())
              .setPaneTiming(timingOf(pane))
              .build());
    }
  }
}
