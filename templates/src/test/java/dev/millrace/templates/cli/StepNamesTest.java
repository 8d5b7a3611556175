package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.templates.catalog.Template;
import dev.millrace.templates.catalog.TemplateCatalog;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Step names are the keys of a streaming job's state: Flink maps a savepoint's state to operators by
 * them. A parameter that only tunes a step (a window size, a lateness, a rule's threshold) must leave
 * every name as it is, so a savepoint taken with one value restores into a job with another.
 */
class StepNamesTest {
  /** The groups whose parameters tune steps without adding or removing any. */
  static final Set<String> TUNING_GROUPS = Set.of("Windows", "Rules", "Attribution");

  static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");

  static List<String> templates() {
    return TemplateCatalog.all().stream().map(Template::name).toList();
  }

  @ParameterizedTest
  @MethodSource("templates")
  void tuningAParameterKeepsEveryStepName(String name) {
    Template<?> template = TemplateCatalog.find(name).orElseThrow();
    List<String> baseline = stepNames(template, List.of());
    assertThat(baseline).hasSizeGreaterThan(20);
    assertThat(baseline).as("no two steps share a name").doesNotHaveDuplicates();

    List<String> changed = new ArrayList<>();
    for (OptionsHelp.Parameter p : OptionsHelp.parameters(template.optionsClass())) {
      if (TUNING_GROUPS.contains(p.group()) && p.defaultValue() != null && !p.defaultValue().isEmpty()) {
        changed.add("--" + p.name() + "=" + another(p.defaultValue()));
      }
    }
    assertThat(changed).as("tuning parameters of %s", name).hasSizeGreaterThanOrEqualTo(4);
    List<String> tuned = stepNames(template, changed);
    if (!tuned.equals(baseline)) {
      // Name the parameter (a build each, so only when it matters).
      for (String arg : changed) {
        assertThat(stepNames(template, List.of(arg))).as("step names with %s", arg).isEqualTo(baseline);
      }
    }
    assertThat(tuned).as("step names with all of %s", changed).isEqualTo(baseline);
  }

  /** A different valid value of the same kind: a duration or a number doubled, a fraction raised. */
  static String another(String value) {
    Matcher duration = DURATION.matcher(value);
    if (duration.matches()) {
      return Long.parseLong(duration.group(1)) * 2 + duration.group(2);
    }
    BigDecimal number = new BigDecimal(value);
    if (number.compareTo(BigDecimal.ONE) < 0) {
      return number.add(number.multiply(new BigDecimal("0.5"))).toPlainString();
    }
    return number.multiply(BigDecimal.valueOf(2)).stripTrailingZeros().toPlainString();
  }

  /** The full name of every step, composite and primitive, in topological order. */
  static List<String> stepNames(Template<?> template, List<String> extra) {
    // Unbounded, as a streaming job that takes savepoints runs: the synthetic source where the template
    // has one (it needs no reference files), else Kinesis (nothing is read to build the pipeline).
    boolean synthetic = OptionsHelp.parameters(template.optionsClass()).stream().anyMatch(p -> p.name().equals("seed"));
    List<String> args = new ArrayList<>(List.of("--runner=DirectRunner", "--streaming=true"));
    args.addAll(synthetic ? List.of("--source=synthetic")
        : List.of("--source=kinesis", "--stream=s", "--kinesisEndpoint=http://127.0.0.1:4568"));
    args.addAll(extra);
    Pipeline pipeline = template.build(OptionParsing.parse(template, args.toArray(new String[0])));
    List<String> names = new ArrayList<>();
    pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        if (!node.isRootNode()) {
          names.add(node.getFullName());
        }
        return CompositeBehavior.ENTER_TRANSFORM;
      }

      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        names.add(node.getFullName());
      }
    });
    return names;
  }
}
