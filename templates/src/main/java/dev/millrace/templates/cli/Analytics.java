package dev.millrace.templates.cli;

import dev.millrace.analytics.OutputLake;
import dev.millrace.analytics.Report;
import dev.millrace.analytics.ResultTables;
import dev.millrace.io.s3.PathStyleS3ClientBuilderFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code millrace query} and {@code millrace report}: the analytics stage over an output root (local
 * or s3://), through {@link OutputLake}.
 */
final class Analytics {
  private Analytics() {}

  @Command(name = "query", mixinStandardHelpOptions = true, versionProvider = MillraceCommands.Version.class,
      description = "SQL over an output's datasets (each a view named after it, e.g. page_stats, dead_letter).")
  static final class Query implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Option(names = "--output", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX", description = "The output root.")
    String output;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|csv|json",
        description = "How rows are printed (default: ${DEFAULT-VALUE}).")
    Format format;

    @Parameters(paramLabel = "SQL", description = "One SQL statement, in quotes.")
    String sql;

    @Unmatched
    List<String> beamArgs = new ArrayList<>();

    Query(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      if (!available()) {
        err.println("millrace query: " + ONLY_DIRECT);
        return Millrace.USAGE;
      }
      try (OutputLake lake = OutputLake.open(output, options("query", output, beamArgs, err))) {
        try (Statement s = lake.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
          out.print(ResultTables.format(ResultTables.rows(rs), format.name()));
        } catch (SQLException e) {
          err.println("millrace query: " + firstLine(e.getMessage()) + " (views: " + String.join(", ", lake.datasets()) + ")");
          return Millrace.USAGE;
        }
        return Millrace.OK;
      } catch (IOException | SQLException | RuntimeException e) {
        err.println("millrace query: cannot open " + output + ": " + Millrace.rootMessage(e));
        return Millrace.USAGE;
      }
    }
  }

  /** How {@code query} prints rows. */
  enum Format { table, csv, json }

  @Command(name = "report", mixinStandardHelpOptions = true, versionProvider = MillraceCommands.Version.class,
      description = "An output's summary, and a self-contained HTML report with charts.")
  static final class ReportCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Option(names = "--output", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX", description = "The output root.")
    String output;

    @Option(names = "--html", defaultValue = "millrace-report.html", paramLabel = "FILE",
        description = "Where the HTML report goes (default: ${DEFAULT-VALUE}).")
    Path html;

    @Unmatched
    List<String> beamArgs = new ArrayList<>();

    ReportCommand(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      return writeReport(out, err, output, html, options("report", output, beamArgs, err));
    }
  }

  static int writeReport(PrintStream out, PrintStream err, String output, Path html, PipelineOptions options) {
    if (!available()) {
      err.println("millrace report: " + ONLY_DIRECT);
      return Millrace.USAGE;
    }
    OutputLake lake;
    try {
      lake = OutputLake.open(output, options);
    } catch (IOException | SQLException | RuntimeException e) {
      // No output there to report on: a bad --output, as `query` says with the same exit code.
      err.println("millrace report: cannot open " + output + ": " + Millrace.rootMessage(e));
      return Millrace.USAGE;
    }
    try (lake) {
      Report report = new Report(lake, output);
      out.print(report.summary());
      Files.writeString(html, report.html(), StandardCharsets.UTF_8);
      out.println("report: " + html.toAbsolutePath().normalize());
      return Millrace.OK;
    } catch (IOException | SQLException | RuntimeException e) {
      err.println("millrace report: cannot report on " + output + ": " + Millrace.rootMessage(e));
      return Millrace.JOB_FAILED;
    }
  }

  /** False in the Flink and Spark jars, which leave the 80 MB DuckDB driver out. */
  static boolean available() {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static final String ONLY_DIRECT = "query and report run from millrace-direct.jar: bin/millrace query|report --output=...";

  /**
   * Beam options for reading the output (an S3 endpoint, credentials, region): those given, the local
   * stack's endpoints when it runs, path-style S3 requests.
   */
  static PipelineOptions options(String command, String output, List<String> beamArgs, PrintStream err) {
    List<String> given = new ArrayList<>(beamArgs);
    given.add("--output=" + output);
    List<String> all = new ArrayList<>(List.of(LocalEndpoints.fromEnvironment()
        .withEndpoints(given.toArray(new String[0]), false, command, err)));
    all.remove("--output=" + output);
    all.add("--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName());
    return PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).create();
  }

  private static String firstLine(String text) {
    String t = String.valueOf(text).strip();
    int newline = t.indexOf('\n');
    return newline < 0 ? t : t.substring(0, newline);
  }
}
