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
import java.nio.file.Paths;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code millrace query} and {@code millrace report}: the analytics stage over an output root (local
 * or s3://), through {@link OutputLake}.
 */
final class Analytics {
  private Analytics() {}

  /** {@code query --output=DIR [--format=table|csv|json] "SQL"}. */
  static int query(PrintStream out, PrintStream err, String[] args) {
    String output = null;
    String format = "table";
    String sql = null;
    List<String> beamArgs = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--output=")) {
        output = arg.substring("--output=".length());
      } else if (arg.startsWith("--format=")) {
        format = arg.substring("--format=".length());
      } else if (arg.startsWith("--")) {
        beamArgs.add(arg);
      } else if (sql == null) {
        sql = arg;
      } else {
        err.println("millrace query: one SQL statement, in quotes; unexpected '" + arg + "'");
        return Millrace.USAGE;
      }
    }
    if (!available()) {
      err.println("millrace query: " + ONLY_DIRECT);
      return Millrace.USAGE;
    }
    if (output == null || sql == null || !List.of("table", "csv", "json").contains(format)) {
      err.println("millrace query: usage: millrace query --output=<dir|s3://bucket/prefix> [--format=table|csv|json] \"<SQL>\""
          + (List.of("table", "csv", "json").contains(format) ? "" : " (--format: table, csv or json, not '" + format + "')"));
      return Millrace.USAGE;
    }
    try (OutputLake lake = OutputLake.open(output, options(beamArgs))) {
      try (Statement s = lake.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
        out.print(ResultTables.format(ResultTables.rows(rs), format));
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

  /** {@code report --output=DIR [--html=report.html]}. */
  static int report(PrintStream out, PrintStream err, String[] args) {
    String output = null;
    String html = "millrace-report.html";
    List<String> beamArgs = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--output=")) {
        output = arg.substring("--output=".length());
      } else if (arg.startsWith("--html=")) {
        html = arg.substring("--html=".length());
      } else if (arg.startsWith("--")) {
        beamArgs.add(arg);
      } else {
        err.println("millrace report: unexpected '" + arg + "' (usage: millrace report --output=<dir> [--html=report.html])");
        return Millrace.USAGE;
      }
    }
    if (output == null) {
      err.println("millrace report: usage: millrace report --output=<dir|s3://bucket/prefix> [--html=report.html]");
      return Millrace.USAGE;
    }
    return writeReport(out, err, output, Paths.get(html), options(beamArgs));
  }

  static int writeReport(PrintStream out, PrintStream err, String output, Path html, PipelineOptions options) {
    if (!available()) {
      err.println("millrace report: " + ONLY_DIRECT);
      return Millrace.USAGE;
    }
    try (OutputLake lake = OutputLake.open(output, options)) {
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

  static PipelineOptions options(List<String> beamArgs) {
    List<String> all = new ArrayList<>(beamArgs);
    all.add("--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName());
    return PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).create();
  }

  private static String firstLine(String text) {
    String t = String.valueOf(text).strip();
    int newline = t.indexOf('\n');
    return newline < 0 ? t : t.substring(0, newline);
  }
}
