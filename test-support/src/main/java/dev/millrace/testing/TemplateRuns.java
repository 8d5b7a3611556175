package dev.millrace.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole template run inside a test's JVM, on the DirectRunner as the CLI runs it for users. Tests of
 * single transforms keep Beam's immutability and encodability checks (TestPipeline, {@link
 * BeamPipelineExtension}); a whole template's run with them takes half again as long (the
 * campaign-analytics oracle test: 88 s with them, 57-62 s without), and what it checks is the template's
 * answer, so it runs with the CLI's settings.
 */
public final class TemplateRuns {
  private TemplateRuns() {}

  /** The CLI's DirectRunner defaults that change speed, not results (templates' RunnerDefaultsTest keeps them in step). */
  public static final List<String> CLI_DIRECT_DEFAULTS =
      List.of("--enforceImmutability=false", "--enforceEncodability=false");

  /** {@code args} and the CLI's Direct defaults, for {@code PipelineOptionsFactory.fromArgs}. */
  public static String[] asTheCliRunsIt(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(CLI_DIRECT_DEFAULTS);
    return all.toArray(new String[0]);
  }
}
