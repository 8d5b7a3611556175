package dev.millrace.pipelines.summary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.Accounting;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
  /** 100 read, 97 parsed, 1 dead-lettered: 2 between the read and the parse; 90 + 5 of 97 past de-duplication. */
  static final RunSummary UNBALANCED = RunSummary.ofCounters(Map.of(
      Accounting.RECORDS_READ, 100L, Accounting.RECORDS_PARSED, 97L, Accounting.DEAD_LETTER_PREFIX + "malformed_json", 1L,
      Accounting.DEAD_LETTERS_WRITTEN, 1L, Accounting.UNIQUE_RECORDS, 90L, Accounting.DUPLICATES_DROPPED, 5L));

  @Test
  void aFinishedRunThatDoesNotBalanceSaysMismatchAndByHowMuch() {
    assertThat(UNBALANCED.balances()).isFalse();
    assertThat(UNBALANCED.format("t")).contains(
        "check: read 100 = parsed 97 + dead-lettered 1 MISMATCH (2); parsed 97 = unique 90 + duplicates 5 MISMATCH (2)");
  }

  @Test
  void aStoppedRunCountsTheDifferenceAsInFlight() {
    assertThat(UNBALANCED.formatStopped("Run summary: x, STOPPED after 3.0 s")).startsWith("Run summary: x, STOPPED")
        .contains("check: read 100 = parsed 97 + dead-lettered 1 in flight (2); parsed 97 = unique 90 + duplicates 5"
            + " in flight (2)")
        .doesNotContain("MISMATCH");
  }

  @Test
  void aBalancedRunSaysOk() {
    RunSummary balanced = RunSummary.ofCounters(Map.of(Accounting.RECORDS_READ, 10L, Accounting.RECORDS_PARSED, 10L));
    assertThat(balanced.balances()).isTrue();
    assertThat(balanced.formatStopped("t")).contains("check: read 10 = parsed 10 + dead-lettered 0 OK");
  }
}
