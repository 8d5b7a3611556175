package dev.millrace.model.reference;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One row of the historic account data: what the rules compare a transaction with. */
public record Account(
    String accountId,
    String homeCountry,
    double avgAmount90d,
    double stddevAmount90d,
    long txnCount90d,
    List<String> knownMccs,
    @Nullable String openedDate,
    @Nullable String riskTier)
    implements Serializable {

  public Account {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(homeCountry, "homeCountry");
    knownMccs = List.copyOf(knownMccs);
  }
}
