package dev.millrace.benchmarks;

import dev.millrace.io.deadletter.DeadLetter;
import dev.millrace.model.ClickEvent;
import dev.millrace.model.PageStats;
import dev.millrace.transforms.aggregate.PageTotals;
import dev.millrace.transforms.aggregate.PageTotalsFn;
import dev.millrace.transforms.parse.ClickEventParser;
import dev.millrace.transforms.parse.ParseRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.joda.time.Instant;

/**
 * clickstream-analytics written natively for Flink (DataStream API, batch execution, parallelism 2,
 * embedded): the same parser, de-duplication by event id, 1-minute event-time windows per page with
 * the same combine function, and the same Parquet output (one page_stats file per window, dead
 * letters in one file). The ceiling Beam on Flink is measured against.
 *
 * <p>{@code java -cp ... dev.millrace.benchmarks.NativeFlinkBaseline INPUT OUTPUT}
 */
public final class NativeFlinkBaseline {
  static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  private NativeFlinkBaseline() {}

  public static void main(String[] args) throws Exception {
    String input = args[0];
    Path output = Paths.get(args[1]);
    long started = System.nanoTime();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.setParallelism(2);

    SingleOutputStreamOperator<ClickEvent> events = env.readTextFile(input).process(new ParseFn(input));
    events.getSideOutput(DEAD_LETTERS).addSink(new DeadLetterSink(output.toString())).setParallelism(1);
    events
        .keyBy(ClickEvent::getEventId)
        .process(new FirstCopyFn())
        .assignTimestampsAndWatermarks(WatermarkStrategy.<ClickEvent>forMonotonousTimestamps()
            .withTimestampAssigner((e, previous) -> e.getEventTime().getMillis()))
        .keyBy(ClickEvent::getPage)
        .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
        .aggregate(new PageTotalsAggregate(), new ToPageStatsFn())
        .addSink(new PageStatsSink(output.toString()))
        .setParallelism(1);
    env.execute("native-flink-clickstream");
    System.out.printf("native flink: page_stats rows %d in %.1f s%n",
        countRows(output.resolve("page_stats")), (System.nanoTime() - started) / 1e9);
  }

  static long countRows(Path dir) throws Exception {
    return dev.millrace.io.parquet.LocalParquetFiles.readAll(dir).size();
  }

  static final class ParseFn extends ProcessFunction<String, ClickEvent> {
    private final String source;
    private transient ClickEventParser parser;

    ParseFn(String source) {
      this.source = source;
    }

    @Override
    public void open(Configuration parameters) {
      parser = new ClickEventParser(ParseRecords.DEFAULT_MAX_RECORD_BYTES);
    }

    @Override
    public void processElement(String line, Context ctx, Collector<ClickEvent> out) {
      ClickEventParser.Outcome outcome = parser.parse(line);
      if (outcome.event() != null) {
        out.collect(outcome.event());
      } else {
        ctx.output(DEAD_LETTERS, DeadLetter.create(line, outcome.rejection().reason(), outcome.rejection().message(),
            source, Instant.now()));
      }
    }
  }

  /** The first copy of each event id; later copies are duplicates. */
  static final class FirstCopyFn extends KeyedProcessFunction<String, ClickEvent, ClickEvent> {
    private transient ValueState<Boolean> seen;

    @Override
    public void open(Configuration parameters) {
      seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Boolean.class));
    }

    @Override
    public void processElement(ClickEvent event, Context ctx, Collector<ClickEvent> out) throws Exception {
      if (seen.value() == null) {
        seen.update(true);
        out.collect(event);
      }
    }
  }

  static final class PageTotalsAggregate implements AggregateFunction<ClickEvent, PageTotals, PageTotals> {
    private final PageTotalsFn fn = new PageTotalsFn();

    @Override
    public PageTotals createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public PageTotals add(ClickEvent event, PageTotals totals) {
      return fn.addInput(totals, event);
    }

    @Override
    public PageTotals getResult(PageTotals totals) {
      return fn.extractOutput(totals);
    }

    @Override
    public PageTotals merge(PageTotals a, PageTotals b) {
      return fn.mergeAccumulators(List.of(a, b));
    }
  }

  static final class ToPageStatsFn extends ProcessWindowFunction<PageTotals, PageStats, String, TimeWindow> {
    @Override
    public void process(String page, Context ctx, Iterable<PageTotals> totals, Collector<PageStats> out) {
      PageTotals t = totals.iterator().next();
      out.collect(PageStats.builder()
          .setWindowStart(new Instant(ctx.window().getStart())).setWindowEnd(new Instant(ctx.window().getEnd()))
          .setPage(page).setEvents(t.events()).setViews(t.views()).setClicks(t.clicks())
          .setAddToCarts(t.addToCarts()).setPurchases(t.purchases()).setRevenue(t.revenue())
          .setUniqueUsers(t.uniqueUsers()).setPaneIndex(0).setPaneTiming("ON_TIME").build());
    }
  }

  /** One Parquet file per window, written when the input ends (as Beam's bounded write does). */
  static final class PageStatsSink extends RichSinkFunction<PageStats> {
    private final String output;
    private transient Map<Long, List<PageStats>> windows;

    PageStatsSink(String output) {
      this.output = output;
    }

    @Override
    public void open(Configuration parameters) {
      windows = new TreeMap<>();
    }

    @Override
    public void invoke(PageStats row, Context context) {
      windows.computeIfAbsent(row.getWindowStart().getMillis(), w -> new ArrayList<>()).add(row);
    }

    @Override
    public void close() throws Exception {
      Path dir = Paths.get(output, "page_stats");
      Files.createDirectories(dir);
      SchemaRegistry schemas = SchemaRegistry.createDefault();
      for (Map.Entry<Long, List<PageStats>> w : windows.entrySet()) {
        try (PlainJavaBaseline.Writer<PageStats> writer = new PlainJavaBaseline.Writer<>(schemas, PageStats.class,
            "page_stats", dir.resolve("page_stats-" + w.getKey() + ".parquet"))) {
          for (PageStats row : w.getValue()) {
            writer.write(row);
          }
        }
      }
    }
  }

  static final class DeadLetterSink extends RichSinkFunction<DeadLetter> {
    private final String output;
    private transient PlainJavaBaseline.Writer<DeadLetter> writer;

    DeadLetterSink(String output) {
      this.output = output;
    }

    @Override
    public void open(Configuration parameters) throws Exception {
      Path dir = Paths.get(output, "dead_letter");
      Files.createDirectories(dir);
      writer = new PlainJavaBaseline.Writer<>(SchemaRegistry.createDefault(), DeadLetter.class, "dead_letter",
          dir.resolve("dead_letter.parquet"));
    }

    @Override
    public void invoke(DeadLetter row, Context context) throws Exception {
      writer.write(row);
    }

    @Override
    public void close() throws Exception {
      if (writer != null) {
        writer.close();
      }
    }
  }
}
