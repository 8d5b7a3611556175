package dev.millrace.io.accounts;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.io.synthetic.SyntheticTransactionsConfig;
import dev.millrace.io.synthetic.TransactionGenerator;
import dev.millrace.transforms.fraud.AccountTable;
import dev.millrace.transforms.fraud.AccountTableCoder;
import dev.millrace.transforms.metrics.Accounting;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.PeriodicImpulse;
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
 * The account data as a stream of whole {@link AccountTable}s in the global window, ready for
 * {@code View.asIterable()} (whose latest pane holds the current table): read once (bounded), or reloaded every {@code refresh} (a slowly
 * changing side input: a periodic impulse, one table per change, each firing its own pane).
 *
 * <p>A reload that fails (files gone, a bad row) keeps the last good table: nothing is emitted, the
 * failure is logged with its reason and counted as {@code account_reloads_failed}. Until a first
 * table loads, transactions wait for it rather than being scored against nothing. A bounded read
 * that fails fails the job, with the same message.
 *
 * <pre>{@code
 * PCollectionView<AccountTable> accounts = p
 *     .apply("ReadAccounts", AccountsIO.fromFiles("s3://bank/accounts/*.parquet").withRefresh(Duration.standardMinutes(10)))
 *     .apply(View.asIterable());
 * }</pre>
 */
public final class AccountsIO extends PTransform<PBegin, PCollection<AccountTable>> {
  public static final String RELOADS = "account_reloads";
  public static final String RELOADS_FAILED = "account_reloads_failed";
  public static final String ACCOUNTS_LOADED = "accounts_loaded";

  /** Where tables come from: files, or the synthetic generator's data. */
  interface TableSource extends Serializable {
    AccountTable load() throws AccountDataException;

    /** What identifies the data's current version; an unchanged one is not reloaded. */
    List<String> version() throws Exception;

    String describe();
  }

  private final TableSource source;
  private final @Nullable Duration refresh;

  private AccountsIO(TableSource source, @Nullable Duration refresh) {
    this.source = source;
    this.refresh = refresh;
  }

  /** JSON lines (optionally compressed) or Parquet files: a path or glob on any Beam filesystem. */
  public static AccountsIO fromFiles(String filepattern) {
    checkArgument(filepattern != null && !filepattern.isBlank(), "filepattern must not be empty");
    return new AccountsIO(new FileTables(filepattern), null);
  }

  /** The account data that matches {@code SyntheticTransactionsIO} with the same config. */
  public static AccountsIO synthetic(SyntheticTransactionsConfig config) {
    return new AccountsIO(new SyntheticTables(config), null);
  }

  /** Reload every {@code refresh} (processing time), in an unbounded stream of tables. */
  public AccountsIO withRefresh(Duration refresh) {
    checkArgument(refresh != null && !refresh.isShorterThan(Duration.standardSeconds(1)),
        "refresh must be at least 1s, but was: %s", refresh);
    return new AccountsIO(source, refresh);
  }

  @Override
  public PCollection<AccountTable> expand(PBegin input) {
    if (refresh == null) {
      return input
          .apply("Once", Impulse.create())
          .apply("LoadAccounts", ParDo.of(new LoadOnceFn(source)))
          .setCoder(AccountTableCoder.of());
    }
    return input
        .apply("Every" + refresh.getStandardSeconds() + "s", PeriodicImpulse.create().withInterval(refresh))
        .apply("ReloadAccounts", ParDo.of(new ReloadFn(source)))
        .setCoder(AccountTableCoder.of())
        // Each table fires its own pane; the side input is the latest pane.
        .apply("LatestTable",
            Window.<AccountTable>into(new GlobalWindows())
                .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                .discardingFiredPanes()
                .withAllowedLateness(Duration.ZERO));
  }

  static final class LoadOnceFn extends DoFn<byte[], AccountTable> {
    private final TableSource source;
    private final Gauge loaded = Metrics.gauge(Accounting.NAMESPACE, ACCOUNTS_LOADED);

    LoadOnceFn(TableSource source) {
      this.source = source;
    }

    @ProcessElement
    public void process(OutputReceiver<AccountTable> out) throws AccountDataException {
      AccountTable table = source.load();
      loaded.set(table.size());
      out.output(table);
    }
  }

  static final class ReloadFn extends DoFn<Instant, AccountTable> {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadFn.class);
    private final TableSource source;
    private final Counter reloads = Accounting.counter(RELOADS);
    private final Counter failed = Accounting.counter(RELOADS_FAILED);
    private final Gauge loaded = Metrics.gauge(Accounting.NAMESPACE, ACCOUNTS_LOADED);
    // Per worker: the version of the last good table this instance emitted.
    private transient @Nullable List<String> lastGood;

    ReloadFn(TableSource source) {
      this.source = source;
    }

    @ProcessElement
    public void process(@Element Instant tick, OutputReceiver<AccountTable> out) {
      List<String> version;
      AccountTable table;
      try {
        version = source.version();
        if (version.equals(lastGood)) {
          return;
        }
        table = source.load();
      } catch (Exception e) {
        failed.inc();
        LOG.warn("Account data {}: reload at {} failed, {}: {}", source.describe(), tick,
            lastGood == null ? "no table yet (transactions wait for one)" : "keeping the last good table",
            e.getMessage());
        return;
      }
      lastGood = version;
      reloads.inc();
      loaded.set(table.size());
      LOG.info("Account data {}: loaded {} accounts", source.describe(), table.size());
      out.output(table);
    }
  }

  static final class FileTables implements TableSource {
    private final String filepattern;

    FileTables(String filepattern) {
      this.filepattern = filepattern;
    }

    @Override
    public AccountTable load() throws AccountDataException {
      return AccountTables.load(filepattern);
    }

    @Override
    public List<String> version() throws Exception {
      return AccountTables.fingerprint(filepattern);
    }

    @Override
    public String describe() {
      return filepattern;
    }
  }

  static final class SyntheticTables implements TableSource {
    private final SyntheticTransactionsConfig config;

    SyntheticTables(SyntheticTransactionsConfig config) {
      this.config = config;
    }

    @Override
    public AccountTable load() {
      return new TransactionGenerator(config).accounts();
    }

    @Override
    public List<String> version() {
      return List.of("synthetic", String.valueOf(config));
    }

    @Override
    public String describe() {
      return "synthetic (" + config.accounts() + " accounts)";
    }
  }
}
