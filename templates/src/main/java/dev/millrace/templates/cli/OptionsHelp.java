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
import dev.millrace.pipelines.options.TemplateParameter;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * The parameters of an options interface, read from its getters and their annotations: the one
 * source for {@code --help}, validation of names, and template metadata.
 */
public final class OptionsHelp {
  /**
   * One parameter: its option name, group, help text (Beam's {@code @Description}), default, type,
   * and the template metadata of its {@link TemplateParameter} annotation.
   */
  public record Parameter(
      String name, String group, String description, String defaultValue, boolean required, Class<?> type,
      String label, String example, List<String> regexes, boolean secret, boolean path) {
    /** Optional: it has a default, or the annotation says a run can start without it. */
    public boolean optional() {
      return !required;
    }
  }

  private OptionsHelp() {}

  /** Every parameter declared by Millrace's own option interfaces, grouped in declaration order. */
  public static List<Parameter> parameters(Class<? extends PipelineOptions> optionsClass) {
    Map<String, Parameter> byName = new LinkedHashMap<>();
    dev.millrace.pipelines.options.TemplateMetadata template =
        optionsClass.getAnnotation(dev.millrace.pipelines.options.TemplateMetadata.class);
    java.util.Set<String> refused = template == null ? java.util.Set.of() : java.util.Set.of(template.refusedParameters());
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
        if (refused.contains(name)) {
          continue;
        }
        Description description = m.getAnnotation(Description.class);
        TemplateParameter meta = m.getAnnotation(TemplateParameter.class);
        String group = meta != null && !meta.group().isEmpty() ? meta.group() : groupOf(iface);
        byName.putIfAbsent(
            name,
            new Parameter(
                name,
                group,
                description == null ? "" : description.value(),
                defaultOf(m),
                m.isAnnotationPresent(Validation.Required.class) || (meta != null && !meta.optional()),
                m.getReturnType(),
                meta == null ? name : meta.label(),
                meta == null ? "" : meta.example(),
                meta == null ? List.of() : List.of(meta.regexes()),
                meta != null && meta.secret(),
                meta != null && meta.path()));
      }
    }
    return new ArrayList<>(byName.values());
  }

  /** A group's name from its options interface: KinesisSourceOptions -> "Kinesis source". */
  private static String groupOf(Class<?> iface) {
    String words = iface.getSimpleName().replace("Options", "").replaceAll("([a-z])([A-Z])", "$1 $2");
    return words.isEmpty() ? "Other" : words.charAt(0) + words.substring(1).toLowerCase(java.util.Locale.ROOT);
  }

  /** The parameters with each group's members together, groups in order of first appearance. */
  public static List<Parameter> grouped(Class<? extends PipelineOptions> optionsClass) {
    Map<String, List<Parameter>> groups = new LinkedHashMap<>();
    for (Parameter p : parameters(optionsClass)) {
      groups.computeIfAbsent(p.group(), g -> new ArrayList<>()).add(p);
    }
    List<Parameter> all = new ArrayList<>();
    groups.values().forEach(all::addAll);
    return all;
  }

  /** The type's name in template metadata: integer, number, boolean or string. */
  public static String typeName(Class<?> type) {
    String hint = typeHint(type);
    return hint.equals("<integer>") ? "integer" : hint.equals("<number>") ? "number"
        : hint.equals("<true|false>") ? "boolean" : "string";
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
}
