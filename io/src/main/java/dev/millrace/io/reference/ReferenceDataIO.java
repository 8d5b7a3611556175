package dev.millrace.io.reference;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.model.Accounting;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reference table as a stream of whole tables in the global window, ready for {@code
 * View.asIterable()} (whose latest pane holds the current table): read once (bounded), or reloaded
 * every {@code refresh} (a slowly changing side input: a tick every refresh, one table per change, each
 * firing its own pane).
 *
 * <p>A reload that fails (files gone, a bad row) keeps the last good table: nothing is emitted, the
 * failure is logged with its reason and counted as {@code <name>_reloads_failed}. Until a first table
 * loads, the main input waits for it rather than being joined with nothing. A bounded read that fails
 * fails the job, with the same message.
 *
 * <pre>{@code
 * PCollectionView<Iterable<DeviceRegistry>> registry = p
 *     .apply("ReadRegistry", ReferenceDataIO.of("registry", source, DeviceRegistryCoder.of())
 *         .withRefresh(Duration.standardMinutes(10)))
 *     .apply(View.asIterable());
 * }</pre>
 */
public final class ReferenceDataIO<T> extends PTransform<PBegin, PCollection<T>> {

  /** Where tables come from: files, or a synthetic generator's data. */
  public interface TableSource<T> extends Serializable {
    T load() throws ReferenceDataException;

    /** What identifies the data's current version; an unchanged one is not reloaded. */
    List<String> version() throws Exception;

    String describe();

    int size(T table);
  }

  /** Reads a table from files. */
  public interface Loader<T> extends Serializable {
    T load(String filepattern) throws ReferenceDataException;
  }

  /** Makes a table in memory (a synthetic generator's). */
  public interface Maker<T> extends Serializable {
    T make();
  }

  /** A table's row count, for the {@code <name>_loaded} gauge and the logs. */
  public interface Sizer<T> extends Serializable {
    int size(T table);
  }

  private final String name;
  private final TableSource<T> source;
  private final Coder<T> coder;
  private final @Nullable Duration refresh;

  private ReferenceDataIO(String name, TableSource<T> source, Coder<T> coder, @Nullable Duration refresh) {
    this.name = name;
    this.source = source;
    this.coder = coder;
    this.refresh = refresh;
  }

  /** A table called {@code name} in metrics ({@code <name>_reloads}, ...), from {@code source}. */
  public static <T> ReferenceDataIO<T> of(String name, TableSource<T> source, Coder<T> coder) {
    checkArgument(name != null && name.matches("[a-z_]+"), "name must be lower case letters, but was %s", name);
    return new ReferenceDataIO<>(name, source, coder, null);
  }

  /** Files matching {@code filepattern}, read by {@code loader}; a reload happens when their name, size or mtime changed. */
  public static <T> ReferenceDataIO<T> fromFiles(String name, String filepattern, Loader<T> loader, Sizer<T> sizer,
      Coder<T> coder) {
    return of(name, files(filepattern, loader, sizer), coder);
  }

  /** The table source behind {@link #fromFiles}: what a reload reads and compares. */
  public static <T> TableSource<T> files(String filepattern, Loader<T> loader, Sizer<T> sizer) {
    checkArgument(filepattern != null && !filepattern.isBlank(), "filepattern must not be empty");
    return new FileTables<>(filepattern, loader, sizer);
  }

  /** A table made in memory by {@code maker}, described as {@code description}; never changes. */
  public static <T> ReferenceDataIO<T> made(String name, String description, Maker<T> maker, Sizer<T> sizer,
      Coder<T> coder) {
    return of(name, new MadeTables<>(description, maker, sizer), coder);
  }

  /** Reload every {@code refresh} (processing time), in an unbounded stream of tables. */
  public ReferenceDataIO<T> withRefresh(Duration refresh) {
    checkArgument(refresh != null && !refresh.isShorterThan(Duration.standardSeconds(1)),
        "refresh must be at least 1s, but was: %s", refresh);
    return new ReferenceDataIO<>(name, source, coder, refresh);
  }

  public static String reloadsFailed(String name) {
    return name + "_reloads_failed";
  }

  @Override
  public PCollection<T> expand(PBegin input) {
    if (refresh == null) {
      return input
          .apply("Once", Impulse.create())
          .apply("Load", ParDo.of(new LoadOnceFn<>(name, source)))
          .setCoder(coder);
    }
    return input
        // A counting source, not PeriodicImpulse: an UnboundedSource ends when a Flink job is stopped
        // with a drain, where PeriodicImpulse's splittable DoFn never finished and the drain hung.
        .apply("Periodically", GenerateSequence.from(0).withRate(1, refresh))
        .apply("Reload", ParDo.of(new ReloadFn<>(name, source)))
        .setCoder(coder)
        // Each table fires its own pane; the side input is the latest pane.
        .apply("LatestTable",
            Window.<T>into(new GlobalWindows())
                .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                .discardingFiredPanes()
                .withAllowedLateness(Duration.ZERO)
                // No empty pane when the window ends (a drain moves the watermark to the end of time):
                // it would become the latest pane, and rules would see no table at all.
                .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY));
  }

  static final class LoadOnceFn<T> extends DoFn<byte[], T> {
    private final TableSource<T> source;
    private final Gauge loaded;

    LoadOnceFn(String name, TableSource<T> source) {
      this.source = source;
      this.loaded = Metrics.gauge(Accounting.NAMESPACE, name + "_loaded");
    }

    @ProcessElement
    public void process(OutputReceiver<T> out) throws ReferenceDataException {
      T table = source.load();
      loaded.set(source.size(table));
      out.output(table);
    }
  }

  /** One reload check per impulse: emits the table when its files changed and it loads, else nothing. */
  public static final class ReloadFn<T> extends DoFn<Long, T> {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadFn.class);
    private final TableSource<T> source;
    private final Counter reloads;
    private final Counter failed;
    private final Gauge loaded;
    // Per worker: the version of the last good table this instance emitted.
    private transient @Nullable List<String> lastGood;

    public ReloadFn(String name, TableSource<T> source) {
      this.source = source;
      this.reloads = Accounting.counter(name + "_reloads");
      this.failed = Accounting.counter(reloadsFailed(name));
      this.loaded = Metrics.gauge(Accounting.NAMESPACE, name + "_loaded");
    }

    @ProcessElement
    public void process(@Timestamp Instant tick, OutputReceiver<T> out) {
      T table = reloadIfChanged(tick);
      if (table != null) {
        out.output(table);
      }
    }

    /**
     * The table to emit at this tick: the newly loaded one, or null when the files are unchanged or
     * the reload failed (the side input then keeps the last good table).
     */
    public @Nullable T reloadIfChanged(Instant tick) {
      List<String> version;
      T table;
      try {
        version = source.version();
        if (version.equals(lastGood)) {
          return null;
        }
        table = source.load();
      } catch (Exception e) {
        failed.inc();
        LOG.warn("Reference data {}: reload at {} failed, {}: {}", source.describe(), tick,
            lastGood == null ? "no table yet (the main input waits for one)" : "keeping the last good table",
            e.getMessage());
        return null;
      }
      lastGood = version;
      reloads.inc();
      loaded.set(source.size(table));
      LOG.info("Reference data {}: loaded {} rows", source.describe(), source.size(table));
      return table;
    }
  }

  static final class FileTables<T> implements TableSource<T> {
    private final String filepattern;
    private final Loader<T> loader;
    private final Sizer<T> sizer;

    FileTables(String filepattern, Loader<T> loader, Sizer<T> sizer) {
      this.filepattern = filepattern;
      this.loader = loader;
      this.sizer = sizer;
    }

    @Override
    public T load() throws ReferenceDataException {
      return loader.load(filepattern);
    }

    @Override
    public List<String> version() throws Exception {
      return ReferenceFiles.fingerprint(filepattern);
    }

    @Override
    public String describe() {
      return filepattern;
    }

    @Override
    public int size(T table) {
      return sizer.size(table);
    }
  }

  static final class MadeTables<T> implements TableSource<T> {
    private final String description;
    private final Maker<T> maker;
    private final Sizer<T> sizer;

    MadeTables(String description, Maker<T> maker, Sizer<T> sizer) {
      this.description = description;
      this.maker = maker;
      this.sizer = sizer;
    }

    @Override
    public T load() {
      return maker.make();
    }

    @Override
    public List<String> version() {
      return List.of(description);
    }

    @Override
    public String describe() {
      return description;
    }

    @Override
    public int size(T table) {
      return sizer.size(table);
    }
  }
}
