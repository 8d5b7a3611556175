package dev.millrace.transforms.fraud;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.model.Accounting;
import dev.millrace.model.BundleCounter;
import dev.millrace.model.reference.Account;
import dev.millrace.model.reference.AccountTable;
import dev.millrace.transforms.reference.NewestTablePerBundle;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Joins each transaction (with its card's velocity count) with the account data, a side input
 * holding the current {@link AccountTable} (an iterable view: a singleton view of a triggered
 * global window was seen empty on the DirectRunner), and applies the {@link FraudRules}. A side input in
 * the global window that a refresh replaces: each transaction sees the latest table that has
 * arrived when its bundle began ({@link NewestTablePerBundle}), so a reload changes the verdict of
 * later transactions only.
 */
public final class ScoreTransactions extends PTransform<PCollection<ScoredTransaction>, PCollection<ScoredTransaction>> {
  public static final String SCORED = "transactions_scored";
  public static final String FLAGGED = "transactions_flagged";

  private final PCollectionView<Iterable<AccountTable>> accounts;
  private final FraudRules rules;

  private ScoreTransactions(PCollectionView<Iterable<AccountTable>> accounts, FraudRules rules) {
    this.accounts = accounts;
    this.rules = rules;
  }

  public static ScoreTransactions against(PCollectionView<Iterable<AccountTable>> accounts) {
    checkArgument(accounts != null, "accounts must not be null");
    return new ScoreTransactions(accounts, FraudRules.defaults());
  }

  public ScoreTransactions withRules(FraudRules rules) {
    checkArgument(rules != null, "rules must not be null");
    return new ScoreTransactions(accounts, rules);
  }

  @Override
  public PCollection<ScoredTransaction> expand(PCollection<ScoredTransaction> counted) {
    return counted
        .apply("ApplyRules", ParDo.of(new ApplyRulesFn(accounts, rules)).withSideInputs(accounts))
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

  static final class ApplyRulesFn extends DoFn<ScoredTransaction, ScoredTransaction> {
    private final NewestTablePerBundle<AccountTable> accounts;
    private final FraudRules rules;
    private final BundleCounter scored = BundleCounter.of(SCORED);
    private final BundleCounter flagged = BundleCounter.of(FLAGGED);

    ApplyRulesFn(PCollectionView<Iterable<AccountTable>> accounts, FraudRules rules) {
      this.accounts = NewestTablePerBundle.of(accounts, ScoreTransactions::newest);
      this.rules = rules;
    }

    @StartBundle
    public void startBundle() {
      accounts.startBundle();
    }

    @ProcessElement
    public void process(@Element ScoredTransaction in, BoundedWindow window, ProcessContext context) {
      AccountTable table = accounts.in(context, window);
      Account account = table.get(in.transaction().accountId());
      List<String> reasons = rules.reasons(in.transaction(), account, in.recentOnCard());
      scored.inc();
      if (!reasons.isEmpty()) {
        flagged.inc();
      }
      context.output(new ScoredTransaction(in.transaction(), in.recentOnCard(), reasons,
          account == null ? null : account.riskTier()));
    }

    @FinishBundle
    public void finishBundle() {
      scored.flush();
      flagged.flush();
    }
  }
}
