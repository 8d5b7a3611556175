package dev.millrace.templates.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.templates.cli.OptionsHelp;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A template's description in the three forms users read, all generated from its options interface:
 * {@code millrace describe NAME}, its metadata JSON ({@code --json}), and its Markdown reference page
 * ({@code docs/templates/NAME.md}).
 */
public final class TemplateDocs {
  public static final String MAIN_CLASS = "dev.millrace.templates.cli.Millrace";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TemplateDocs() {}

  public static String describe(Template<?> t) {
    StringBuilder out = new StringBuilder();
    out.append(t.name()).append(": ").append(t.description()).append('\n');
    out.append("runs: ").append(t.streamingCapable() ? "batch, or streaming with an unbounded source" : "batch")
        .append("; writes: ").append(String.join(", ", t.datasets())).append("\n");
    List<OptionsHelp.Parameter> params = OptionsHelp.grouped(t.optionsClass());
    appendSection(out, "Required parameters", params.stream().filter(p -> !p.optional()).collect(Collectors.toList()));
    appendSection(out, "Optional parameters", params.stream().filter(OptionsHelp.Parameter::optional).collect(Collectors.toList()));
    out.append("\nRun: millrace run ").append(t.name()).append(" [--param=value ...] [--params-file=job.json|job.yaml]"
        + " [--dry-run]\n");
    return out.toString();
  }

  private static void appendSection(StringBuilder out, String title, List<OptionsHelp.Parameter> params) {
    out.append('\n').append(title).append(":\n");
    if (params.isEmpty()) {
      out.append("  (none)\n");
    }
    String group = null;
    for (OptionsHelp.Parameter p : params) {
      if (!p.group().equals(group)) {
        group = p.group();
        out.append("  ").append(group).append('\n');
      }
      out.append("    --").append(p.name()).append("  ").append(p.label());
      if (p.defaultValue() != null) {
        out.append("  (default: ").append(p.defaultValue().isEmpty() ? "\"\"" : p.defaultValue()).append(')');
      }
      if (!p.example().isEmpty()) {
        out.append("  e.g. ").append(p.example());
      }
      out.append("\n      ").append(p.description()).append('\n');
    }
  }

  public static String json(Template<?> t) {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", t.name());
    root.put("description", t.description());
    root.put("mainClass", MAIN_CLASS);
    root.put("streaming", t.streamingCapable());
    ArrayNode datasets = root.putArray("datasets");
    t.datasets().forEach(datasets::add);
    ArrayNode parameters = root.putArray("parameters");
    for (OptionsHelp.Parameter p : OptionsHelp.grouped(t.optionsClass())) {
      ObjectNode param = parameters.addObject();
      param.put("name", p.name());
      param.put("label", p.label());
      param.put("helpText", p.description());
      param.put("isOptional", p.optional());
      ArrayNode regexes = param.putArray("regexes");
      p.regexes().forEach(regexes::add);
      if (p.defaultValue() == null) {
        param.putNull("defaultValue");
      } else {
        param.put("defaultValue", p.defaultValue());
      }
      param.put("type", OptionsHelp.typeName(p.type()));
      param.put("group", p.group());
      param.put("example", p.example());
      param.put("isSecret", p.secret());
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String markdown(Template<?> t) {
    StringBuilder out = new StringBuilder();
    out.append("<!-- Generated from ").append(t.optionsClass().getSimpleName())
        .append(" by `bin/millrace docs`; do not edit. -->\n");
    out.append("# ").append(t.name()).append("\n\n").append(t.description()).append("\n\n");
    out.append("- Runs: ").append(t.streamingCapable() ? "batch, or streaming with an unbounded source" : "batch")
        .append("\n- Writes: ").append(t.datasets().stream().map(d -> "`" + d + "`").collect(Collectors.joining(", ")))
        .append("\n- Launch: `bin/millrace run ").append(t.name())
        .append(" [--param=value ...]`, or `java -jar <runner jar> --template=").append(t.name())
        .append(" ...`; metadata: `bin/millrace describe ").append(t.name()).append(" --json`\n");
    String group = null;
    for (OptionsHelp.Parameter p : OptionsHelp.grouped(t.optionsClass())) {
      if (!p.group().equals(group)) {
        group = p.group();
        out.append("\n## ").append(group).append("\n\n")
            .append("| parameter | label | type | default | example | allowed (regex) | description |\n")
            .append("|---|---|---|---|---|---|---|\n");
      }
      out.append("| `--").append(p.name()).append("`").append(p.optional() ? "" : " (required)")
          .append(" | ").append(p.label())
          .append(" | ").append(OptionsHelp.typeName(p.type()))
          .append(" | ").append(p.defaultValue() == null ? "" : "`" + p.defaultValue() + "`")
          .append(" | ").append(p.example().isEmpty() ? "" : "`" + p.example() + "`")
          .append(" | ").append(p.regexes().stream().map(r -> "`" + r.replace("|", "\\|") + "`").collect(Collectors.joining(" ")))
          .append(" | ").append(p.description().replace("|", "\\|"))
          .append(" |\n");
    }
    out.append("\nAny Beam runner option is accepted as well (`--runner`, `--flinkMaster`, `--sparkMaster`, ...). "
        + "A value `${env:NAME}` is read from the environment variable NAME.\n")
        .append("\n## Runner defaults\n\nMillrace's own defaults for Beam's runner options, each applied unless given:\n\n")
        .append(RunnerDefaults.markdown());
    return out.toString();
  }
}
