package dev.millrace.templates.cli;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * The parameters of an options interface, read from its getters and their annotations: the one
 * source for {@code --help}, validation of names, and (later) template metadata.
 */
public final class OptionsHelp {
  /** One parameter: its option name, declaring group, description and default. */
  public record Parameter(
      String name, String group, String description, String defaultValue, boolean required, Class<?> type) {}

  private OptionsHelp() {}

  /** Every parameter declared by Millrace's own option interfaces, grouped in declaration order. */
  public static List<Parameter> parameters(Class<? extends PipelineOptions> optionsClass) {
    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Class<?> iface : interfaces(optionsClass)) {
      if (!iface.getName().startsWith("dev.millrace.")) {
        continue;
      }
      List<Method> getters = new ArrayList<>();
      for (Method m : iface.getDeclaredMethods()) {
        if ((m.getName().startsWith("get") || m.getName().startsWith("is"))
            && m.getParameterCount() == 0
            && !m.isDefault()) {
          getters.add(m);
        }
      }
      // Alphabetical within a group: reflection has no declaration order, and help must be stable.
      getters.sort(Comparator.comparing(Method::getName));
      for (Method m : getters) {
        String name = propertyName(m);
        Description description = m.getAnnotation(Description.class);
        byName.putIfAbsent(
            name,
            new Parameter(
                name,
                iface.getSimpleName().replace("Options", ""),
                description == null ? "" : description.value(),
                defaultOf(m),
                m.isAnnotationPresent(Validation.Required.class),
                m.getReturnType()));
      }
    }
    return new ArrayList<>(byName.values());
  }

  /** Text for {@code millrace run NAME --help}. */
  public static String format(String usage, String description, Class<? extends PipelineOptions> optionsClass) {
    StringBuilder out = new StringBuilder();
    out.append("Usage: ").append(usage).append("\n\n").append(description).append("\n");
    String group = null;
    for (Parameter p : parameters(optionsClass)) {
      if (!p.group().equals(group)) {
        group = p.group();
        out.append('\n').append(group).append(" options:\n");
      }
      out.append("  --").append(p.name()).append('=').append(typeHint(p.type()));
      if (p.defaultValue() != null) {
        out.append("  (default: ").append(p.defaultValue()).append(')');
      }
      out.append('\n');
      for (String line : wrap(p.description(), 74)) {
        out.append("      ").append(line).append('\n');
      }
    }
    out.append(
        "\nRunner options:\n"
            + "  --runner=DirectRunner  (default: DirectRunner)\n"
            + "      Any Beam runner option is accepted as well (--targetParallelism=N, ...).\n"
            + "\nDurations accept 30s, 5m, 1h, 500ms, 2d or ISO-8601 (PT5M).\n");
    return out.toString();
  }

  static String typeHint(Class<?> type) {
    if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
      return "<integer>";
    }
    if (type == double.class || type == Double.class) {
      return "<number>";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "<true|false>";
    }
    return "<value>";
  }

  private static String defaultOf(Method m) {
    if (m.getAnnotation(Default.String.class) != null) {
      return m.getAnnotation(Default.String.class).value();
    } else if (m.getAnnotation(Default.Integer.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Integer.class).value());
    } else if (m.getAnnotation(Default.Long.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Long.class).value());
    } else if (m.getAnnotation(Default.Double.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Double.class).value());
    } else if (m.getAnnotation(Default.Boolean.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Boolean.class).value());
    }
    return null;
  }

  static String propertyName(Method getter) {
    String base = getter.getName().startsWith("is") ? getter.getName().substring(2) : getter.getName().substring(3);
    return Character.toLowerCase(base.charAt(0)) + base.substring(1);
  }

  /** Interfaces from the most general Millrace group to the template's own, each once. */
  private static List<Class<?>> interfaces(Class<?> root) {
    Set<Class<?>> ordered = new LinkedHashSet<>();
    collect(root, ordered);
    return new ArrayList<>(ordered);
  }

  private static void collect(Class<?> iface, Set<Class<?>> ordered) {
    for (Class<?> parent : iface.getInterfaces()) {
      collect(parent, ordered);
    }
    ordered.add(iface);
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split("\\s+")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
