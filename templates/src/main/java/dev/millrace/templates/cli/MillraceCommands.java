package dev.millrace.templates.cli;

import dev.millrace.pipelines.clickstream.ClickstreamAnalytics;
import dev.millrace.templates.catalog.Template;
import dev.millrace.templates.catalog.TemplateCatalog;
import dev.millrace.templates.catalog.TemplateDocs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code millrace} command line on picocli: the subcommands, their help, typo suggestions and
 * shell completion. Each template is a subcommand of {@code run} whose options come from its options
 * interface ({@link OptionsCommand}); what the commands do lives in {@link Millrace} and the classes
 * named in each command.
 */
final class MillraceCommands {
  private MillraceCommands() {}

  /** The whole command line, writing to {@code cli}'s streams. */
  static CommandLine create(Millrace cli) {
    CommandLine root = new CommandLine(new Root(cli));
    CommandLine run = new CommandLine(new Run(cli));
    for (Template<?> template : TemplateCatalog.all()) {
      run.addSubcommand(template.name(), OptionsCommand.create(template.name(),
          "millrace run " + template.name() + " [--option=value ...]", template.optionsClass(), true,
          args -> cli.runTemplate(template.name(), args, false), template.description()));
    }
    root.addSubcommand("run", run);
    List<String> demo = new ArrayList<>(List.of(
        "clickstream-analytics on ~100k synthetic events with some of every kind of trouble, into"
            + " ./millrace-output, then a summary and a report.",
        "Its defaults, each of which can be given otherwise:"));
    Demo.DEFAULTS.forEach(d -> demo.add("  " + d));
    root.addSubcommand("demo", OptionsCommand.create("demo", "millrace demo [--option=value ...]",
        TemplateCatalogAccess.clickstream().optionsClass(), true,
        args -> cli.runTemplate(ClickstreamAnalytics.NAME, Demo.arguments(args), true), demo.toArray(new String[0])));
    root.addSubcommand("generate", new Generate.GenerateCommand(cli.out, cli.err));
    root.addSubcommand("produce", OptionsCommand.create("produce",
        "millrace produce --stream=S --source=synthetic|file [--option=value ...]",
        Produce.ProduceOptions.class, false, args -> Produce.run(cli.out, cli.err, args),
        "Put records into a Kinesis stream (created when missing): synthetic clickstream events, or a file's"
            + " lines, paced by --rate or by their own event times (--replaySpeed)."));
    root.addSubcommand("chaos", new Chaos.ChaosCommand(cli.out, cli.err));
    root.addSubcommand("templates", new Templates(cli));
    root.addSubcommand("describe", new Describe(cli));
    root.addSubcommand("docs", new Docs(cli));
    root.addSubcommand("query", new Analytics.Query(cli.out, cli.err));
    root.addSubcommand("report", new Analytics.ReportCommand(cli.out, cli.err));
    // Its own parser reads every argument, options included.
    root.addSubcommand("local", new CommandLine(new Local(cli)).setUnmatchedOptionsArePositionalParams(true));
    root.addSubcommand("completion", completion());
    root.addSubcommand("help", new CommandLine.HelpCommand());

    root.setOut(new PrintWriter(cli.out, true)).setErr(new PrintWriter(cli.err, true));
    root.setExpandAtFiles(false);
    root.setParameterExceptionHandler((e, args) -> usageError(e, cli));
    root.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      cli.err.println("millrace " + path(commandLine) + ": " + Millrace.rootMessage(e));
      return Millrace.JOB_FAILED;
    });
    return root;
  }

  /** picocli's completion script for the whole command line, bound to {@code millrace} and {@code bin/millrace}. */
  private static CommandLine completion() {
    return new CommandLine(new Completion());
  }

  /** One line per mistake, in the command's words, with picocli's suggestion; exit 2. */
  private static int usageError(ParameterException e, Millrace cli) {
    CommandLine at = e.getCommandLine();
    String path = path(at);
    String prefix = "millrace" + (path.isEmpty() ? "" : " " + path) + ": ";
    List<String> suggestions = e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
        ? OptionParsing.close(u.getUnmatched().get(0), u.getSuggestions()) : List.of();
    String didYouMean = suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)";
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
        && !at.getSubcommands().isEmpty()) {
      String first = u.getUnmatched().get(0);
      if (at.getCommand() instanceof Run) {
        cli.err.println(first.startsWith("-")
            ? prefix + "name a template first: millrace run TEMPLATE [--option=value ...] (see: millrace templates)"
            : prefix + "no template named '" + first + "'" + didYouMean + " (see: millrace templates)");
      } else {
        cli.err.println(prefix + "unknown command '" + first + "'" + didYouMean
            + " (commands: " + String.join(", ", at.getSubcommands().keySet()) + ")");
      }
      return Millrace.USAGE;
    }
    cli.err.println(prefix + e.getMessage() + didYouMean + " (see: millrace " + (path.isEmpty() ? "" : path + " ")
        + "--help)");
    return Millrace.USAGE;
  }

  /** The command's path below {@code millrace}: "run clickstream-analytics". */
  private static String path(CommandLine commandLine) {
    String qualified = commandLine.getCommandSpec().qualifiedName(" ");
    return qualified.equals("millrace") ? "" : qualified.substring("millrace ".length());
  }

  @Command(name = "millrace", mixinStandardHelpOptions = true, versionProvider = Version.class,
      synopsisSubcommandLabel = "COMMAND",
      description = "Portable streaming data pipelines on Apache Beam: run a template on the Direct, Flink or Spark"
          + " runner, feed it, break it on purpose, and look at what it wrote.",
      footer = {"", "Exit codes: 0 success, 1 the job failed, 2 bad usage or parameters.",
          "Every command takes --help; `millrace run TEMPLATE --help` lists a template's parameters."})
  static final class Root implements Callable<Integer> {
    private final Millrace cli;

    @Spec
    CommandSpec spec;

    Root(Millrace cli) {
      this.cli = cli;
    }

    /** {@code millrace} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
      spec.commandLine().usage(cli.out);
      return Millrace.USAGE;
    }
  }

  /** Millrace's version (from the Maven build's properties in the jar) and Beam's. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      java.util.Properties build = new java.util.Properties();
      try (java.io.InputStream in =
          Millrace.class.getResourceAsStream("/META-INF/maven/dev.millrace/millrace-templates/pom.properties")) {
        if (in != null) {
          build.load(in);
        }
      }
      return new String[] {"millrace " + build.getProperty("version", "(built from classes)") + " on Apache Beam "
          + org.apache.beam.sdk.util.ReleaseInfo.getReleaseInfo().getVersion()};
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
      synopsisSubcommandLabel = "TEMPLATE", commandListHeading = "%nTemplates:%n",
      description = "Run a template; `millrace run TEMPLATE --help` lists its parameters.")
  static final class Run implements Callable<Integer> {
    private final Millrace cli;

    Run(Millrace cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      cli.err.println("millrace run: name a template first: millrace run TEMPLATE [--option=value ...]"
          + " (see: millrace templates)");
      return Millrace.USAGE;
    }
  }

  @Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Print a bash/zsh completion script for millrace: source <(bin/millrace completion)")
  static final class Completion implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.print(AutoComplete.bash("millrace", spec.root().commandLine()));
      // The checkout's launcher, as the README runs it.
      out.println("complete -F _complete_millrace -o default bin/millrace ./bin/millrace");
      out.flush();
      return Millrace.OK;
    }
  }

  @Command(name = "templates", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "List the templates.")
  static final class Templates implements Callable<Integer> {
    private final Millrace cli;

    Templates(Millrace cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      cli.out.printf("%-24s %-10s %s%n", "TEMPLATE", "RUNS", "DESCRIPTION");
      for (Template<?> t : TemplateCatalog.all()) {
        cli.out.printf("%-24s %-10s %s%n", t.name(), t.streamingCapable() ? "streaming" : "batch", t.description());
      }
      return Millrace.OK;
    }
  }

  @Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "A template's parameters (required, optional), or its metadata as JSON.")
  static final class Describe implements Callable<Integer> {
    private final Millrace cli;

    @Parameters(paramLabel = "TEMPLATE", description = "A template's name (see: millrace templates).",
        completionCandidates = TemplateNames.class)
    String name;

    @Option(names = "--json", description = "The template metadata as JSON.")
    boolean json;

    Describe(Millrace cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      Template<?> template = TemplateCatalog.find(name).orElse(null);
      if (template == null) {
        cli.err.println("millrace describe: no template named '" + name + "' (see: millrace templates)");
        return Millrace.USAGE;
      }
      cli.out.print(json ? TemplateDocs.json(template) : TemplateDocs.describe(template));
      return Millrace.OK;
    }
  }

  /** The templates' names, for completion. */
  static final class TemplateNames extends ArrayList<String> {
    TemplateNames() {
      TemplateCatalog.all().forEach(t -> add(t.name()));
    }
  }

  @Command(name = "docs", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Write every template's reference page (Markdown) and the runner matrix beside them.")
  static final class Docs implements Callable<Integer> {
    private final Millrace cli;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "docs/templates",
        description = "Where the pages go (default: ${DEFAULT-VALUE}); runners.md goes to its parent.")
    Path dir;

    Docs(Millrace cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      try {
        Files.createDirectories(dir);
        for (Template<?> t : TemplateCatalog.all()) {
          Files.writeString(dir.resolve(t.name() + ".md"), TemplateDocs.markdown(t));
          cli.out.println("wrote " + dir.resolve(t.name() + ".md"));
        }
        Path runners = dir.toAbsolutePath().getParent().resolve("runners.md");
        Files.writeString(runners, RunnerMatrix.markdown());
        cli.out.println("wrote " + runners);
        return Millrace.OK;
      } catch (IOException e) {
        cli.err.println("millrace docs: " + e.getMessage());
        return Millrace.JOB_FAILED;
      }
    }
  }

  @Command(name = "local", description = "Start, stop and look at the local stack's servers"
      + " (Kinesis emulator, S3, Flink, Spark): `millrace local --help`.")
  static final class Local implements Callable<Integer> {
    private final Millrace cli;

    @Parameters(hidden = true)
    List<String> args = new ArrayList<>();

    Local(Millrace cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      // bin/millrace runs bin/millrace-local directly (no build of the runner jars); this is the same command.
      Path root = Paths.get(System.getenv().getOrDefault("MILLRACE_ROOT", ".")).toAbsolutePath().normalize();
      return dev.millrace.local.LocalCommand.run(args.toArray(new String[0]), root, System.getenv(), cli.out, cli.err);
    }
  }
}
