package dev.millrace.templates.cli;

import dev.millrace.pipelines.options.Problem;
import dev.millrace.templates.catalog.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine;

/**
 * Parses {@code --name=value} arguments into a template's options. Beam's own parser does the work
 * (so every runner option is accepted); its messages are turned into one line per problem that names
 * the option and what it accepts.
 */
final class OptionParsing {
  private static final Pattern MISSING_PROPERTY = Pattern.compile("missing a property named '([^']+)'");

  private OptionParsing() {}

  static PipelineOptions parse(Template<?> template, String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException(
            "unexpected argument '" + arg + "': options are written --name=value");
      }
    }
    checkTypes(template, args);
    try {
      return PipelineOptionsFactory.fromArgs(args).withValidation().as(template.optionsClass());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(explain(template, e), e);
    }
  }

  /**
   * Checks the values of the template's own numeric and boolean parameters, so a bad value is
   * reported with its option's name (Beam's parser does not say which option it was parsing).
   */
  private static void checkTypes(Template<?> template, String[] args) {
    List<Problem> problems = new ArrayList<>();
    List<OptionsHelp.Parameter> parameters = OptionsHelp.parameters(template.optionsClass());
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = arg.substring(2, eq);
      String value = arg.substring(eq + 1);
      for (OptionsHelp.Parameter p : parameters) {
        if (p.name().equals(name) && !accepts(p.type(), value)) {
          problems.add(new Problem("--" + name, "expected " + OptionsHelp.typeHint(p.type()) + ", but was '" + value + "'"));
        }
      }
    }
    Problem.throwIfAny(problems);
  }

  static boolean accepts(Class<?> type, String value) {
    try {
      if (type == int.class || type == Integer.class) {
        Integer.parseInt(value.trim());
      } else if (type == long.class || type == Long.class) {
        Long.parseLong(value.trim());
      } else if (type == double.class || type == Double.class) {
        return Double.isFinite(Double.parseDouble(value.trim()));
      } else if (type == boolean.class || type == Boolean.class) {
        return value.equals("true") || value.equals("false");
      }
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String explain(Template<?> template, IllegalArgumentException e) {
    String message = String.valueOf(e.getMessage());
    Matcher missing = MISSING_PROPERTY.matcher(message);
    if (missing.find()) {
      String name = missing.group(1);
      String suggestion = closest(name, template);
      return "--" + name + ": unknown option"
          + (suggestion == null ? "" : " (did you mean --" + suggestion + "?)")
          + "; see: millrace run " + template.name() + " --help";
    }
    return firstLine(message);
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  /** picocli's suggestion for an unknown option of {@code template}, without its dashes; null when none is close. */
  static String closest(String name, Template<?> template) {
    CommandLine command = OptionsCommand.create(template.name(), "", template.optionsClass(), true,
        args -> Millrace.OK);
    List<String> suggestions = close("--" + name,
        new CommandLine.UnmatchedArgumentException(command, List.of("--" + name)).getSuggestions());
    return suggestions.isEmpty() ? null : suggestions.get(0).replaceFirst("^--", "");
  }

  /**
   * Those of picocli's suggestions for {@code given} that are a likely typo of it (a few letters
   * apart): picocli ranks by shared letter pairs, which also offers names that merely look alike.
   */
  static List<String> close(String given, List<String> suggestions) {
    String typed = given.replaceFirst("=.*", "").toLowerCase(java.util.Locale.ROOT);
    return suggestions.stream()
        .filter(s -> distance(s.toLowerCase(java.util.Locale.ROOT), typed) <= Math.max(2, typed.length() / 3))
        .toList();
  }

  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
