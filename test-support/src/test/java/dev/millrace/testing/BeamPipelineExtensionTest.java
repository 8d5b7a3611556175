package dev.millrace.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Proves the extension keeps Beam's enforcement: these run sample tests and check the verdicts. */
class BeamPipelineExtensionTest {

  /** Sample tests, run only through the test kit below (surefire skips nested classes). */
  @ExtendWith(BeamPipelineExtension.class)
  static class Samples {
    @Test
    void runs(TestPipeline p) {
      PAssert.that(p.apply(Create.of(1, 2))).containsInAnyOrder(1, 2);
      p.run();
    }

    @Test
    void forgetsRun(TestPipeline p) {
      PAssert.that(p.apply(Create.of(1, 2))).containsInAnyOrder(1, 2);
    }

    @Test
    void assertsWrongly(TestPipeline p) {
      PAssert.that(p.apply(Create.of(1, 2))).containsInAnyOrder(1, 3);
      p.run();
    }
  }

  @Test
  void aPipelineThatRunsPasses() {
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectMethod(Samples.class, "runs", TestPipeline.class.getName()))
        .execute()
        .testEvents()
        .assertThatEvents()
        .haveExactly(1, event(test("runs"), finishedSuccessfully()));
  }

  @Test
  void aForgottenRunFails() {
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectMethod(Samples.class, "forgetsRun", TestPipeline.class.getName()))
        .execute()
        .testEvents()
        .assertThatEvents()
        .haveExactly(
            1,
            event(
                test("forgetsRun"),
                finishedWithFailure(
                    instanceOf(TestPipeline.PipelineRunMissingException.class))));
  }

  @Test
  void aWrongAssertionFails() {
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectMethod(Samples.class, "assertsWrongly", TestPipeline.class.getName()))
        .execute()
        .testEvents()
        .assertThatEvents()
        .haveExactly(
            1, event(test("assertsWrongly"), finishedWithFailure(message(m -> m.contains("3")))));
  }
}
