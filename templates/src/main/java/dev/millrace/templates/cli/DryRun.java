package dev.millrace.templates.cli;

import dev.millrace.templates.catalog.Template;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;

/** {@code --dry-run}: the resolved parameters (secrets hidden) and the pipeline's steps, nothing run. */
final class DryRun {
  private DryRun() {}

  static String describe(Template<?> template, LaunchParameters launch, PipelineOptions options, Pipeline pipeline) {
    StringBuilder out = new StringBuilder();
    out.append("Dry run of ").append(template.name()).append(" on ").append(options.getRunner().getSimpleName())
        .append(": nothing is started.\n\nParameters:\n");
    Set<String> hidden = launch.hidden();
    Map<String, LaunchParameters.Value> given = launch.values();
    for (OptionsHelp.Parameter p : OptionsHelp.grouped(template.optionsClass())) {
      LaunchParameters.Value v = given.get(p.name());
      String value = v != null ? v.value() : p.defaultValue();
      if (value == null) {
        continue;
      }
      String origin = v == null ? "default" : v.origin() == LaunchParameters.Origin.PARAMS_FILE ? "params file"
          : "command line";
      if (v != null && v.fromEnvironment()) {
        origin += ", from the environment";
      }
      out.append(String.format("  --%-22s %s  (%s)%n", p.name(), hidden.contains(p.name()) ? "(hidden)" : value, origin));
    }
    given.forEach((name, v) -> {
      if (OptionsHelp.parameters(template.optionsClass()).stream().noneMatch(p -> p.name().equals(name))) {
        out.append(String.format("  --%-22s %s  (runner option)%n", name, hidden.contains(name) ? "(hidden)" : v.value()));
      }
    });
    String flink = options.getRunner().getSimpleName().startsWith("Flink") ? RunnerSupport.flinkSettings(options) : null;
    if (flink != null) {
      out.append("\nFlink: ").append(flink).append('\n');
    }
    List<String> experiments = options.as(ExperimentalOptions.class).getExperiments();
    if (options.getRunner().getSimpleName().equals("DirectRunner") && experiments != null && !experiments.isEmpty()) {
      out.append("\nDirect: --experiments=").append(String.join(",", experiments)).append('\n');
    }
    out.append("\nSteps:\n");
    pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      int depth = 0;

      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        if (!node.isRootNode()) {
          if (depth == 0) {
            out.append("  ").append(node.getFullName()).append('\n');
          }
          depth++;
        }
        return CompositeBehavior.ENTER_TRANSFORM;
      }

      @Override
      public void leaveCompositeTransform(TransformHierarchy.Node node) {
        if (!node.isRootNode()) {
          depth--;
        }
      }

      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        if (depth == 0) {
          out.append("  ").append(node.getFullName()).append('\n');
        }
      }
    });
    return out.toString();
  }
}
