package dev.millrace.transforms.fraud;

import static dev.millrace.transforms.fraud.FraudStatsPerWindowTest.scored;
import static dev.millrace.transforms.fraud.FraudStatsPerWindowTest.stats;

import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.transforms.window.Windowing;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regression: flagged_amount was summed in millionths in a long, and
 * BigDecimal.longValue() kept only the low 64 bits: a valid amount (a finite number > 0) of 1e13 or more,
 * or a window whose flagged amounts added up to more than 9,223,372,036,854.775807, gave a wrong (negative)
 * flagged_amount silently.
 */
@ExtendWith(BeamPipelineExtension.class)
class FraudStatsPerWindowExactSumTest {
  @Test
  void aLargeFlaggedAmountIsSummedExactly(TestPipeline p) {
    PCollection<FraudStats> stats = p
        .apply(Create.timestamped(List.of(scored("big", "10:00:05", 1.0E13, FraudRules.AMOUNT_SPIKE)))
            .withCoder(ScoredTransactionCoder.of()))
        .apply(FraudStatsPerWindow.of(Windowing.fixed(Duration.standardMinutes(1))));

    PAssert.that(stats).containsInAnyOrder(stats("10:00:00", "10:01:00", 1, 1, 1.0E13, 0, 1, 0, 0, 0, 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }

  @Test
  void flaggedAmountsAddingUpPastTheLongRangeAreSummedExactly(TestPipeline p) {
    PCollection<FraudStats> stats = p
        .apply(Create.timestamped(List.of(
                scored("a", "10:00:05", 5.0E12, FraudRules.AMOUNT_SPIKE),
                scored("b", "10:00:06", 5.0E12, FraudRules.AMOUNT_SPIKE)))
            .withCoder(ScoredTransactionCoder.of()))
        .apply(FraudStatsPerWindow.of(Windowing.fixed(Duration.standardMinutes(1))));

    PAssert.that(stats).containsInAnyOrder(stats("10:00:00", "10:01:00", 2, 2, 1.0E13, 0, 2, 0, 0, 0, 0, "ON_TIME"));
    p.run().waitUntilFinish();
  }
}
