package dev.millrace.templates.cli;

import dev.millrace.io.synthetic.ClickstreamGenerator;
import dev.millrace.pipelines.clickstream.ClickstreamAnalytics;
import dev.millrace.pipelines.clickstream.ClickstreamAnalyticsOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.zip.GZIPOutputStream;

/**
 * {@code millrace generate --file=clicks.jsonl --maxEvents=N [synthetic options]}: writes the
 * synthetic clickstream to a JSON-lines file (gzip when the name ends in .gz), for file runs,
 * replays and checks by other tools. The same seed and options give the same file.
 */
final class Generate {
  private Generate() {}

  static int run(PrintStream out, PrintStream err, String[] args) {
    String file = null;
    java.util.List<String> rest = new java.util.ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--file=")) {
        file = arg.substring("--file=".length());
      } else {
        rest.add(arg);
      }
    }
    if (file == null || file.isBlank()) {
      err.println("millrace generate: --file=<path.jsonl> is required (where to write the records)");
      return Millrace.USAGE;
    }
    ClickstreamAnalyticsOptions options;
    try {
      options =
          OptionParsing.parse(
                  TemplateCatalogAccess.clickstream(), rest.toArray(new String[0]))
              .as(ClickstreamAnalyticsOptions.class);
      if (options.getMaxEvents() <= 0) {
        throw new IllegalArgumentException("--maxEvents: required and > 0 (how many events to write)");
      }
      ClickstreamAnalytics.validate(options);
    } catch (IllegalArgumentException e) {
      for (String line : e.getMessage().split("\n")) {
        err.println("millrace generate: " + line);
      }
      return Millrace.USAGE;
    }
    ClickstreamGenerator generator = new ClickstreamGenerator(ClickstreamAnalytics.syntheticConfig(options));
    Path path = Paths.get(file);
    long records = 0;
    try (OutputStream raw = Files.newOutputStream(path);
        OutputStream stream = file.endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
        BufferedWriter writer =
            new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16)) {
      for (long n = 0; n < options.getMaxEvents(); n++) {
        for (String record : generator.recordsOf(n)) {
          writer.write(record);
          writer.write('\n');
          records++;
        }
      }
    } catch (IOException e) {
      err.println("millrace generate: cannot write " + file + ": " + e.getMessage());
      return Millrace.JOB_FAILED;
    }
    out.printf("wrote %,d records (%,d events) to %s%n", records, options.getMaxEvents(), path);
    return Millrace.OK;
  }
}
