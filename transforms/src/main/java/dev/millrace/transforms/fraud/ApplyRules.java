package dev.millrace.transforms.fraud;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.model.BundleCounter;
import dev.millrace.model.Transaction;
import dev.millrace.model.reference.Account;
import dev.millrace.model.reference.AccountTable;
import dev.millrace.transforms.reference.NewestTablePerBundle;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Joins each transaction already counted by {@link VelocityPerCard} with the account data, a side
 * input holding the current {@link AccountTable} (an iterable view: a singleton view of a triggered
 * global window was seen empty on the DirectRunner), and applies the {@link FraudRules}. A side input in
 * the global window that a refresh replaces: each transaction sees the latest table that has
 * arrived when its bundle began ({@link NewestTablePerBundle}), so a reload changes the verdict of
 * later transactions only. {@link ScoreTransactions} is the whole stage, counting included.
 */
public final class ApplyRules extends PTransform<PCollection<ScoredTransaction>, PCollection<ScoredTransaction>> {
  private final PCollectionView<Iterable<AccountTable>> accounts;
  private final FraudRules rules;

  private ApplyRules(PCollectionView<Iterable<AccountTable>> accounts, FraudRules rules) {
    this.accounts = accounts;
    this.rules = rules;
  }

  public static ApplyRules against(PCollectionView<Iterable<AccountTable>> accounts) {
    checkArgument(accounts != null, "accounts must not be null");
    return new ApplyRules(accounts, FraudRules.defaults());
  }

  public ApplyRules withRules(FraudRules rules) {
    checkArgument(rules != null, "rules must not be null");
    return new ApplyRules(accounts, rules);
  }

  /** The rules and the side input, for a step that counts and scores at once. */
  Scorer scorer() {
    return new Scorer(accounts, rules);
  }

  @Override
  public PCollection<ScoredTransaction> expand(PCollection<ScoredTransaction> counted) {
    return counted
        .apply("ApplyRules", ParDo.of(new ApplyRulesFn(scorer())).withSideInputs(accounts))
        .setCoder(ScoredTransactionCoder.of());
  }

  /**
   * The newest table of the side input's latest pane (a pane normally holds one). Never empty: a
   * main input element waits until the side input has its first pane.
   */
  static AccountTable newest(Iterable<AccountTable> tables) {
    AccountTable newest = null;
    for (AccountTable table : tables) {
      if (newest == null || !table.loadedAt().isBefore(newest.loadedAt())) {
        newest = table;
      }
    }
    if (newest == null) {
      throw new IllegalStateException("the account data side input is empty");
    }
    return newest;
  }

  /**
   * The rules and the account data, applied in whichever step holds the counted transactions: {@link
   * ApplyRulesFn}, or the velocity sweep of a bounded input. That step calls {@link #startBundle} and
   * {@link #finishBundle} from its own, and reads the table with {@link #table} where it has a side
   * input (not in a timer callback: Beam gives those no side inputs).
   */
  static final class Scorer implements Serializable {
    private final NewestTablePerBundle<AccountTable> accounts;
    private final FraudRules rules;
    private final BundleCounter scored = BundleCounter.of(ScoreTransactions.SCORED);
    private final BundleCounter flagged = BundleCounter.of(ScoreTransactions.FLAGGED);

    Scorer(PCollectionView<Iterable<AccountTable>> accounts, FraudRules rules) {
      this.accounts = NewestTablePerBundle.of(accounts, ApplyRules::newest);
      this.rules = rules;
    }

    PCollectionView<Iterable<AccountTable>> view() {
      return accounts.view();
    }

    void startBundle() {
      accounts.startBundle();
    }

    AccountTable table(DoFn<?, ?>.ProcessContext context, BoundedWindow window) {
      return accounts.in(context, window);
    }

    ScoredTransaction score(Transaction txn, int recentOnCard, AccountTable table) {
      Account account = table.get(txn.accountId());
      List<String> reasons = rules.reasons(txn, account, recentOnCard);
      scored.inc();
      if (!reasons.isEmpty()) {
        flagged.inc();
      }
      return new ScoredTransaction(txn, recentOnCard, reasons, account == null ? null : account.riskTier());
    }

    void finishBundle() {
      scored.flush();
      flagged.flush();
    }
  }

  static final class ApplyRulesFn extends DoFn<ScoredTransaction, ScoredTransaction> {
    private final Scorer scorer;

    ApplyRulesFn(Scorer scorer) {
      this.scorer = scorer;
    }

    @StartBundle
    public void startBundle() {
      scorer.startBundle();
    }

    @ProcessElement
    public void process(@Element ScoredTransaction in, BoundedWindow window, ProcessContext context) {
      context.output(scorer.score(in.transaction(), in.recentOnCard(), scorer.table(context, window)));
    }

    @FinishBundle
    public void finishBundle() {
      scorer.finishBundle();
    }
  }
}
