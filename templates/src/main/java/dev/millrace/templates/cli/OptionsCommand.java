package dev.millrace.templates.cli;

import dev.millrace.templates.catalog.RunnerDefaults;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UnmatchedArgsBinding;

/**
 * A command whose options are the properties of a Beam options interface ({@code run TEMPLATE},
 * {@code demo}, {@code produce}), built with picocli's programmatic API: the interface's own
 * parameters with their descriptions and defaults, shown in help by group; every other option Beam
 * knows (runner options) accepted but not listed. Picocli reads the command line ({@code --name=value}
 * or {@code --name value}) and hands it on written {@code --name=value}, in order; Beam's
 * {@code PipelineOptionsFactory} stays the parser of the values, and names neither knows are passed on
 * too, so the launch checks report every problem at once.
 */
final class OptionsCommand implements Callable<Integer> {
  /** What the command does with its arguments, written {@code --name=value}; returns the exit code. */
  interface Action {
    int run(String[] args);
  }

  private final List<String> args = new ArrayList<>();
  private final Action action;

  private OptionsCommand(Action action) {
    this.action = action;
  }

  @Override
  public Integer call() {
    return action.run(args.toArray(new String[0]));
  }

  /**
   * The command: {@code optionsClass}'s parameters, Beam's registered options (hidden), and {@code
   * launchOptions} ({@code --params-file}, {@code --dry-run}) when the command launches a template.
   */
  static CommandLine create(String name, String synopsis, Class<? extends PipelineOptions> optionsClass,
      boolean launchOptions, Action action, String... description) {
    OptionsCommand command = new OptionsCommand(action);
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name).interpolateVariables(false);
    spec.usageMessage().customSynopsis(synopsis).description(description).sortOptions(false);
    spec.parser().overwrittenOptionsAllowed(true).unmatchedArgumentsAllowed(true).expandAtFiles(false);
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help and exit.").build());

    Map<String, List<OptionSpec>> groups = new LinkedHashMap<>();
    Set<String> names = new LinkedHashSet<>();
    for (OptionsHelp.Parameter p : OptionsHelp.grouped(optionsClass)) {
      OptionSpec option = command.option(p.name(), isBoolean(p.type()))
          .paramLabel(OptionsHelp.typeHint(p.type()))
          .description(escaped(p.description() + (p.defaultValue() == null ? "" : " (default: " + p.defaultValue() + ")")))
          .build();
      spec.addOption(option);
      groups.computeIfAbsent(p.group(), g -> new ArrayList<>()).add(option);
      names.add(p.name());
    }
    if (launchOptions) {
      List<OptionSpec> launch = List.of(
          command.option("params-file", false).paramLabel("<job.json|job.yaml>")
              .description("Parameters from a JSON or YAML file of name: value pairs; the command line wins over it. "
                  + "Values may use ${env:NAME}.").build(),
          command.flag("dry-run")
              .description("Check everything, print the resolved parameters and the job's steps, run nothing.").build());
      launch.forEach(spec::addOption);
      groups.put("Launch", launch);
    }
    for (Map.Entry<String, Class<?>> beam : beamOptions().entrySet()) {
      if (names.add(beam.getKey())) {
        spec.addOption(command.option(beam.getKey(), isBoolean(beam.getValue())).hidden(true).build());
      }
    }
    spec.addUnmatchedArgsBinding(UnmatchedArgsBinding.forStringArrayConsumer(command.collect()));
    spec.usageMessage().sectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> {
      StringBuilder text = new StringBuilder(help.optionListExcludingGroups(List.of(spec.findOption("--help"))));
      groups.forEach((group, options) -> text.append(String.format("%n%s options:%n", group))
          .append(help.optionListExcludingGroups(options)));
      return text.toString();
    });
    List<String> footer = new ArrayList<>(List.of("",
        "Runner options (and any other Beam runner option, e.g. --flinkMaster=HOST:PORT):",
        "  --runner=DirectRunner|FlinkRunner|SparkRunner  (default: DirectRunner)",
        "  Millrace's defaults for each runner, unless given:"));
    RunnerDefaults.BY_RUNNER.forEach((runner, defaults) ->
        defaults.forEach(d -> footer.add(String.format("    %-7s %s", runner, d.arg()))));
    footer.add("");
    footer.add("Durations accept 30s, 5m, 1h, 500ms, 2d or ISO-8601 (PT5M).");
    spec.usageMessage().footer(footer.toArray(new String[0]));
    return new CommandLine(spec).setUnmatchedOptionsArePositionalParams(false);
  }

  /** An option taking a value: {@code --name=value} or {@code --name value}; a boolean's value may be left out. */
  private OptionSpec.Builder option(String name, boolean isBoolean) {
    OptionSpec.Builder option = OptionSpec.builder("--" + name).type(String.class).setter(collect(name));
    return isBoolean ? option.arity("0..1").fallbackValue("true") : option.arity("1");
  }

  /** An option without a value, handed on as given. */
  private OptionSpec.Builder flag(String name) {
    return OptionSpec.builder("--" + name).arity("0").type(boolean.class).setter(new ISetter() {
      @Override
      public <T> T set(T value) {
        if (Boolean.TRUE.equals(value)) {
          args.add("--" + name);
        }
        return null;
      }
    });
  }

  /** Appends each value given for {@code name} as {@code --name=value} (picocli also sets null first: ignored). */
  private ISetter collect(String name) {
    return new ISetter() {
      @Override
      public <T> T set(T value) {
        if (value != null) {
          args.add("--" + name + "=" + value);
        }
        return null;
      }
    };
  }

  /** Hands arguments picocli does not know on, for the launch checks to name (with a suggestion). */
  private ISetter collect() {
    return new ISetter() {
      @Override
      public <T> T set(T value) {
        if (value != null) {
          args.addAll(List.of((String[]) value));
        }
        return null;
      }
    };
  }

  /** Help text as picocli takes it: a format string, so a literal % is written %%. */
  private static String escaped(String text) {
    return text.replace("%", "%%");
  }

  private static boolean isBoolean(Class<?> type) {
    return type == boolean.class || type == Boolean.class;
  }

  private static Map<String, Class<?>> beamOptions;

  /**
   * Every property of Beam's registered options interfaces (runner options included), with its type;
   * read once per JVM, as every command of the command line asks.
   */
  static synchronized Map<String, Class<?>> beamOptions() {
    if (beamOptions == null) {
      beamOptions = readBeamOptions();
    }
    return beamOptions;
  }

  private static Map<String, Class<?>> readBeamOptions() {
    Map<String, Class<?>> options = new LinkedHashMap<>();
    for (Class<? extends PipelineOptions> iface : PipelineOptionsFactory.getRegisteredOptions()) {
      for (Method m : iface.getMethods()) {
        if ((m.getName().startsWith("get") || m.getName().startsWith("is")) && m.getParameterCount() == 0
            && m.getDeclaringClass() != Object.class) {
          options.putIfAbsent(OptionsHelp.propertyName(m), m.getReturnType());
        }
      }
    }
    return options;
  }
}
