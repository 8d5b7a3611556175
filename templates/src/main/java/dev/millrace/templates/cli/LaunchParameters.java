package dev.millrace.templates.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.pipelines.options.Problem;
import dev.millrace.templates.catalog.Template;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The parameters of one launch, resolved before anything is built: a params file ({@code
 * --params-file=job.json|job.yaml}) under the command line, {@code ${env:NAME}} references, then
 * every check at once (syntax, unknown names with a suggestion, types, regexes, required). Each
 * problem is one line that names the parameter; secret values are never echoed.
 */
final class LaunchParameters {
  static final String PARAMS_FILE = "--params-file";
  private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)\\}");

  /** Where a value came from. */
  enum Origin { COMMAND_LINE, PARAMS_FILE, DEFAULT }

  record Value(String value, Origin origin, boolean fromEnvironment) {}

  private final Template<?> template;
  private final Map<String, String> env;
  private final Map<String, Value> values = new LinkedHashMap<>();
  private final List<Problem> problems = new ArrayList<>();

  LaunchParameters(Template<?> template, Map<String, String> env) {
    this.template = template;
    this.env = env;
  }

  /** Resolves {@code args}; {@link #problems()} lists what is wrong, in order. */
  LaunchParameters resolve(String[] args) {
    List<String> commandLine = new ArrayList<>();
    String paramsFile = null;
    for (String arg : args) {
      if (arg.startsWith(PARAMS_FILE + "=")) {
        paramsFile = arg.substring(PARAMS_FILE.length() + 1);
      } else if (!arg.startsWith("--") || arg.length() < 3) {
        problems.add(Problem.general("unexpected argument '" + arg + "': parameters are written --name=value"));
      } else {
        commandLine.add(arg);
      }
    }
    if (paramsFile != null) {
      readParamsFile(paramsFile).forEach((k, v) -> values.put(k, new Value(v, Origin.PARAMS_FILE, false)));
    }
    for (String arg : commandLine) {
      int eq = arg.indexOf('=');
      // --flag alone means --flag=true, as in Beam.
      values.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq),
          new Value(eq < 0 ? "true" : arg.substring(eq + 1), Origin.COMMAND_LINE, false));
    }
    resolveEnvironment();
    check();
    return this;
  }

  List<Problem> problems() {
    return problems;
  }

  Map<String, Value> values() {
    return values;
  }

  /** The resolved parameters as Beam arguments. */
  String[] args() {
    return values.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue().value()).toArray(String[]::new);
  }

  /** Names whose values must never be printed: secrets, and anything read from the environment. */
  Set<String> hidden() {
    Set<String> hidden = new HashSet<>();
    for (OptionsHelp.Parameter p : OptionsHelp.parameters(template.optionsClass())) {
      if (p.secret()) {
        hidden.add(p.name());
      }
    }
    values.forEach((name, v) -> {
      if (v.fromEnvironment() || name.toLowerCase().contains("credential") || name.toLowerCase().contains("secret")) {
        hidden.add(name);
      }
    });
    return hidden;
  }

  private Map<String, String> readParamsFile(String file) {
    Path path = Paths.get(file);
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      problems.add(new Problem(PARAMS_FILE, "no such file: " + file));
      return Map.of();
    } catch (IOException e) {
      problems.add(new Problem(PARAMS_FILE, "cannot read " + file + ": " + e.getMessage()));
      return Map.of();
    }
    Object parsed;
    boolean yaml = file.endsWith(".yaml") || file.endsWith(".yml");
    try {
      if (yaml) {
        parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
      } else if (file.endsWith(".json")) {
        parsed = new ObjectMapper().readValue(text, Object.class);
      } else {
        problems.add(new Problem(PARAMS_FILE, "" + file + " must end in .json, .yaml or .yml"));
        return Map.of();
      }
    } catch (YAMLException | IOException e) {
      problems.add(new Problem(PARAMS_FILE, "" + file + " is not valid " + (yaml ? "YAML" : "JSON") + ": "
          + String.valueOf(e.getMessage()).lines().map(String::strip).collect(Collectors.joining(" "))));
      return Map.of();
    }
    if (!(parsed instanceof Map)) {
      problems.add(new Problem(PARAMS_FILE, "" + file + " must hold one object of parameter: value pairs"
          + " (e.g. {\"windowSize\": \"5m\"})"));
      return Map.of();
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
      String name = String.valueOf(e.getKey());
      Object value = e.getValue();
      if (value instanceof Map) {
        problems.add(new Problem(PARAMS_FILE, "'" + name + "' in " + file + " must be a value or a list, not an object"));
      } else if (value instanceof Collection) {
        result.put(name, ((Collection<?>) value).stream().map(String::valueOf).collect(Collectors.joining(",")));
      } else if (value == null) {
        problems.add(new Problem(PARAMS_FILE, "'" + name + "' in " + file + " has no value"));
      } else {
        result.put(name, String.valueOf(value));
      }
    }
    return result;
  }

  private void resolveEnvironment() {
    for (Iterator<Map.Entry<String, Value>> it = values.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Value> e = it.next();
      Matcher m = ENV.matcher(e.getValue().value());
      if (!m.find()) {
        continue;
      }
      m.reset();
      StringBuilder resolved = new StringBuilder();
      boolean ok = true;
      while (m.find()) {
        String variable = env.get(m.group(1));
        if (variable == null) {
          problems.add(new Problem("--" + e.getKey(), "environment variable " + m.group(1) + " is not set"));
          ok = false;
          break;
        }
        m.appendReplacement(resolved, Matcher.quoteReplacement(variable));
      }
      if (ok) {
        m.appendTail(resolved);
        e.setValue(new Value(resolved.toString(), e.getValue().origin(), true));
      }
    }
  }

  private void check() {
    Map<String, OptionsHelp.Parameter> params = new LinkedHashMap<>();
    OptionsHelp.parameters(template.optionsClass()).forEach(p -> params.put(p.name(), p));
    Set<String> beamOptions = beamOptionNames();
    Set<String> hidden = hidden();
    for (Map.Entry<String, Value> e : values.entrySet()) {
      String name = e.getKey();
      String value = e.getValue().value();
      OptionsHelp.Parameter p = params.get(name);
      if (p == null) {
        if (!beamOptions.contains(name)) {
          String suggestion = OptionParsing.closest(name, template);
          problems.add(new Problem("--" + name, "unknown parameter" + (suggestion == null ? "" : " (did you mean --" + suggestion + "?)")
              + "; see: millrace describe " + template.name()));
        }
        continue;
      }
      String shown = hidden.contains(name) ? "(hidden)" : "'" + value + "'";
      if (!OptionParsing.accepts(p.type(), value)) {
        problems.add(new Problem("--" + name, "expected " + OptionsHelp.typeName(p.type())
            + (p.example().isEmpty() ? "" : " such as " + p.example()) + ", but was " + shown));
        continue;
      }
      for (String regex : p.regexes()) {
        if (!value.isEmpty() && !Pattern.compile(regex).matcher(value).matches()) {
          problems.add(new Problem("--" + name, "" + allowed(regex, p.example()) + ", but was " + shown));
          break;
        }
      }
    }
    for (OptionsHelp.Parameter p : params.values()) {
      if (!p.optional() && p.defaultValue() == null && !values.containsKey(p.name())) {
        problems.add(new Problem("--" + p.name(), "required (" + p.label() + (p.example().isEmpty() ? "" : ", e.g. " + p.example()) + ")"));
      }
    }
  }

  /** What a regex allows, for people: "one of a, b, c" for a list of words, else the pattern and an example. */
  static String allowed(String regex, String example) {
    if (regex.matches("[A-Za-z_]+(\\|[A-Za-z_]+)+")) {
      return "must be one of " + String.join(", ", regex.split("\\|"));
    }
    return "must match " + regex + (example.isEmpty() ? "" : " (e.g. " + example + ")");
  }

  /** Every option name Beam knows from its registered options interfaces (runner options included). */
  private static Set<String> beamOptionNames() {
    Set<String> names = new HashSet<>();
    for (Class<? extends PipelineOptions> iface : PipelineOptionsFactory.getRegisteredOptions()) {
      for (Method m : iface.getMethods()) {
        if ((m.getName().startsWith("get") || m.getName().startsWith("is")) && m.getParameterCount() == 0) {
          names.add(OptionsHelp.propertyName(m));
        }
      }
    }
    return names;
  }
}
