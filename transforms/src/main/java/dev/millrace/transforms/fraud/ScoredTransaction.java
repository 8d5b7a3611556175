package dev.millrace.transforms.fraud;

import dev.millrace.model.Transaction;
import java.io.Serializable;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A transaction with its verdict: the card's transactions in the velocity window ({@code
 * recentOnCard}, itself included), the sorted reason codes (empty: not flagged) and the account's
 * risk tier (null when the account is unknown, or before the rules ran).
 */
public record ScoredTransaction(
    Transaction transaction, int recentOnCard, List<String> reasons, @Nullable String riskTier)
    implements Serializable {

  public ScoredTransaction {
    reasons = List.copyOf(reasons);
  }

  public boolean flagged() {
    return !reasons.isEmpty();
  }
}
