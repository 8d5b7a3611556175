package dev.millrace.transforms.logs;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.model.AccessLogEntry;
import dev.millrace.model.TopPath;
import dev.millrace.model.TrafficStats;
import dev.millrace.transforms.aggregate.TotalsFn;
import dev.millrace.transforms.aggregate.PreCombinePerKey;
import dev.millrace.transforms.window.Windowing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.SetCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;

/**
 * A site's traffic in fixed event-time windows: one {@link TrafficStats} row per window and pane, and
 * the window's {@code topN} paths by requests as {@link TopPath} rows (ties by path, ascending).
 * Both come from one combine per window, so every pane's top list matches its totals.
 */
public final class TrafficStatsPerWindow extends PTransform<PCollection<AccessLogEntry>, PCollectionTuple> {
  public static final TupleTag<TrafficStats> STATS = new TupleTag<TrafficStats>() {};
  public static final TupleTag<TopPath> TOP_PATHS = new TupleTag<TopPath>() {};

  private final Windowing windowing;
  private final int topN;

  private TrafficStatsPerWindow(Windowing windowing, int topN) {
    this.windowing = Windowing.requireKind(Windowing.Kind.FIXED, windowing, "traffic statistics");
    checkArgument(topN > 0, "topN must be > 0, but was: %s", topN);
    this.topN = topN;
  }

  /** Five-minute windows with {@link Windowing}'s default panes, the top 10 paths. */
  public static TrafficStatsPerWindow create() {
    return new TrafficStatsPerWindow(Windowing.fixed(Duration.standardMinutes(5)), 10);
  }

  /** The fixed windows, their lateness and panes. */
  public TrafficStatsPerWindow withWindowing(Windowing windowing) {
    return new TrafficStatsPerWindow(windowing, topN);
  }

  /** How many paths each window's top list keeps. */
  public TrafficStatsPerWindow withTopN(int n) {
    return new TrafficStatsPerWindow(windowing, n);
  }

  @Override
  public PCollectionTuple expand(PCollection<AccessLogEntry> entries) {
    PCollection<AccessLogEntry> windowed = entries
        .apply("WindowIntoFixedWindows", windowing.<AccessLogEntry>into());
    return PreCombinePerKey.applyGlobally(windowed, "AggregatePerWindow", new TrafficTotalsFn())
        .apply("ToRows", ParDo.of(new ToRowsFn(topN)).withOutputTags(STATS, TupleTagList.of(TOP_PATHS)));
  }

  /** Running totals of one window; the path counts feed the top list. */
  static final class TrafficTotals {
    long requests;
    long bytes;
    long status2xx;
    long status3xx;
    long status4xx;
    long status5xx;
    long bots;
    final Set<String> ips = new HashSet<>();
    final Map<String, Long> pathRequests = new HashMap<>();
  }

  static final class TrafficTotalsFn extends TotalsFn<AccessLogEntry, TrafficTotals> {
    @Override
    public TrafficTotals createAccumulator() {
      return new TrafficTotals();
    }

    @Override
    public TrafficTotals addInput(TrafficTotals t, AccessLogEntry e) {
      t.requests++;
      t.bytes += e.getBytes();
      switch (e.getStatus() / 100) {
        case 2: t.status2xx++; break;
        case 3: t.status3xx++; break;
        case 4: t.status4xx++; break;
        case 5: t.status5xx++; break;
        default: break;
      }
      if (e.isBot()) {
        t.bots++;
      }
      t.ips.add(e.getIp());
      if (e.getPath() != null) {
        t.pathRequests.merge(e.getPath(), 1L, Long::sum);
      }
      return t;
    }

    @Override
    protected void mergeInto(TrafficTotals into, TrafficTotals t) {
      into.requests += t.requests;
      into.bytes += t.bytes;
      into.status2xx += t.status2xx;
      into.status3xx += t.status3xx;
      into.status4xx += t.status4xx;
      into.status5xx += t.status5xx;
      into.bots += t.bots;
      into.ips.addAll(t.ips);
      t.pathRequests.forEach((path, n) -> into.pathRequests.merge(path, n, Long::sum));
    }

    @Override
    protected Coder<TrafficTotals> totalsCoder() {
      return new TrafficTotalsCoder();
    }
  }

  /**
   * The totals field by field. Java serialization (the coder before it) took 13-16% of a Direct run's
   * samples on a 10,000-line access log: the DirectRunner copies a window's bag of these through its
   * coder on every bundle.
   */
  static final class TrafficTotalsCoder extends CustomCoder<TrafficTotals> {
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final SetCoder<String> IPS = SetCoder.of(StringUtf8Coder.of());
    private static final MapCoder<String, Long> PATHS = MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());

    @Override
    public void encode(TrafficTotals t, OutputStream out) throws IOException {
      for (long n : new long[] {t.requests, t.bytes, t.status2xx, t.status3xx, t.status4xx, t.status5xx, t.bots}) {
        LONG.encode(n, out);
      }
      IPS.encode(t.ips, out);
      PATHS.encode(t.pathRequests, out);
    }

    @Override
    public TrafficTotals decode(InputStream in) throws IOException {
      TrafficTotals t = new TrafficTotals();
      t.requests = LONG.decode(in);
      t.bytes = LONG.decode(in);
      t.status2xx = LONG.decode(in);
      t.status3xx = LONG.decode(in);
      t.status4xx = LONG.decode(in);
      t.status5xx = LONG.decode(in);
      t.bots = LONG.decode(in);
      t.ips.addAll(IPS.decode(in));
      t.pathRequests.putAll(PATHS.decode(in));
      return t;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof TrafficTotalsCoder;
    }

    @Override
    public int hashCode() {
      return TrafficTotalsCoder.class.hashCode();
    }
  }

  static final class ToRowsFn extends DoFn<TrafficTotals, TrafficStats> {
    private final int topN;

    ToRowsFn(int topN) {
      this.topN = topN;
    }

    @ProcessElement
    public void process(@Element TrafficTotals t, BoundedWindow window, PaneInfo pane, MultiOutputReceiver out) {
      IntervalWindow w = (IntervalWindow) window;
      out.get(STATS).output(
          TrafficStats.builder()
              .setWindowStart(w.start())
              .setWindowEnd(w.end())
              .setRequests(t.requests)
              .setUniqueIps(t.ips.size())
              .setBytes(t.bytes)
              .setStatus2xx(t.status2xx)
              .setStatus3xx(t.status3xx)
              .setStatus4xx(t.status4xx)
              .setStatus5xx(t.status5xx)
              .setBotRequests(t.bots)
              .setPaneIndex(pane.getIndex())
              .setPaneTiming(Windowing.timingOf(pane))
              .build());
      for (TopPath row : topPaths(w, t.pathRequests, topN)) {
        out.get(TOP_PATHS).output(row);
      }
    }
  }

  /** The {@code n} paths with most requests, ties by path ascending, ranked from 1. */
  static List<TopPath> topPaths(IntervalWindow w, Map<String, Long> pathRequests, int n) {
    List<Map.Entry<String, Long>> ranked = new ArrayList<>(pathRequests.entrySet());
    ranked.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    List<TopPath> rows = new ArrayList<>();
    for (int i = 0; i < Math.min(n, ranked.size()); i++) {
      rows.add(TopPath.create(w.start(), w.end(), i + 1, ranked.get(i).getKey(), ranked.get(i).getValue()));
    }
    return rows;
  }
}
