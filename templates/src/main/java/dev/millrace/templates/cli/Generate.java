package dev.millrace.templates.cli;

import dev.millrace.io.accounts.AccountTables;
import dev.millrace.io.synthetic.ClickstreamGenerator;
import dev.millrace.io.synthetic.SensorGenerator;
import dev.millrace.io.synthetic.VitalsGenerator;
import dev.millrace.io.synthetic.TransactionGenerator;
import dev.millrace.io.synthetic.AdEventsGenerator;
import dev.millrace.pipelines.campaign.CampaignAnalytics;
import dev.millrace.pipelines.campaign.CampaignAnalyticsOptions;
import dev.millrace.pipelines.clickstream.ClickstreamAnalytics;
import dev.millrace.pipelines.clickstream.ClickstreamAnalyticsOptions;
import dev.millrace.pipelines.fraud.FraudDetection;
import dev.millrace.pipelines.fraud.FraudDetectionOptions;
import dev.millrace.pipelines.maintenance.PredictiveMaintenance;
import dev.millrace.pipelines.maintenance.PredictiveMaintenanceOptions;
import dev.millrace.pipelines.patients.PatientMonitoring;
import dev.millrace.pipelines.patients.PatientMonitoringOptions;
import dev.millrace.templates.catalog.TemplateCatalog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;
import java.util.function.LongFunction;
import java.util.zip.GZIPOutputStream;

/**
 * {@code millrace generate --file=clicks.jsonl --maxEvents=N [synthetic options]}: writes the
 * synthetic clickstream to a JSON-lines file (gzip when the name ends in .gz), for file runs,
 * replays and checks by other tools. The same seed and options give the same file. With {@code
 * --template=fraud-detection}, card transactions instead, and with {@code --accountsFile=F} their
 * account data too; with {@code --template=predictive-maintenance}, sensor readings and with {@code
 * --registryFile=F} their device registry; with {@code --template=patient-monitoring}, vitals and with
 * {@code --registryFile=F} their patient registry.
 */
final class Generate {
  private Generate() {}

  @Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = MillraceCommands.Version.class,
      description = {"Write a template's synthetic records to a JSON-lines file (gzip when the name ends in .gz), and"
          + " its reference data; the same seed and options give the same files.",
          "Any other option is the template's synthetic-source option (--maxEvents=N, --rate=R,"
          + " --duplicateFraction=F, ...: see millrace run TEMPLATE --help)."})
  static final class GenerateCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Option(names = "--template", paramLabel = "TEMPLATE", defaultValue = ClickstreamAnalytics.NAME,
        completionCandidates = MillraceCommands.TemplateNames.class,
        description = "Whose records (default: ${DEFAULT-VALUE}).")
    String template;

    @Option(names = "--file", paramLabel = "FILE", description = "Where the records go (not campaign-analytics).")
    String file;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "campaign-analytics: the directory of its impressions, clicks and conversions, and tables.")
    String dir;

    @Option(names = "--accountsFile", paramLabel = "FILE", description = "fraud-detection: its account data too.")
    String accountsFile;

    @Option(names = "--registryFile", paramLabel = "FILE",
        description = "predictive-maintenance, patient-monitoring: the device or patient registry too.")
    String registryFile;

    @Option(names = "--fuzzFraction", paramLabel = "F", defaultValue = "0",
        description = "Damage this fraction of the records on purpose (random and invalid UTF-8 bytes, cut short,"
            + " deep nesting, 2 MiB, ...), to test what a run does with them.")
    double fuzzFraction;

    @Option(names = "--seed", paramLabel = "S",
        description = "Random seed of the records and of the damage; the same seed gives the same files"
            + " (default: the template's, 42).")
    Long seed;

    @Unmatched
    List<String> templateOptions = new ArrayList<>();

    GenerateCommand(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      Fuzz fuzz;
      try {
        fuzz = new Fuzz(fuzzFraction, seed == null ? 42 : seed);
      } catch (IllegalArgumentException e) {
        err.println("millrace generate: " + e.getMessage());
        return Millrace.USAGE;
      }
      List<String> options = new ArrayList<>(templateOptions);
      if (seed != null) {
        options.add("--seed=" + seed);
      }
      String reference = accountsFile != null ? accountsFile : registryFile;
      int code = generate(out, err, template, file, dir, reference, options.toArray(new String[0]));
      if (code != Millrace.OK || fuzz.fraction() == 0) {
        return code;
      }
      try {
        for (Path written : recordFiles()) {
          fuzz.rewrite(written);
        }
      } catch (IOException e) {
        err.println("millrace generate: cannot damage the records: " + e.getMessage());
        return Millrace.JOB_FAILED;
      }
      out.printf("damaged %,d records on purpose (--fuzzFraction): %s%n", fuzz.total(), fuzz.counts());
      return Millrace.OK;
    }

    /** The record files written (not the reference tables): campaign-analytics' three streams, else --file. */
    private List<Path> recordFiles() {
      if (file != null) {
        return List.of(Paths.get(file));
      }
      return dir == null ? List.of()
          : CampaignAnalytics.STREAMS.stream().map(stream -> Paths.get(dir).resolve(stream + ".jsonl")).toList();
    }
  }

  /** Writes {@code template}'s records, and its reference data to {@code reference}; {@code args}: its options. */
  private static int generate(PrintStream out, PrintStream err, String template, String file, String dir,
      String reference, String[] args) {
    if (FraudDetection.NAME.equals(template)) {
      return transactions(out, err, file, reference, args);
    }
    if (PredictiveMaintenance.NAME.equals(template)) {
      return readings(out, err, file, reference, args);
    }
    if (PatientMonitoring.NAME.equals(template)) {
      return vitals(out, err, file, reference, args);
    }
    if (CampaignAnalytics.NAME.equals(template)) {
      return adEvents(out, err, dir, args);
    }
    if (!ClickstreamAnalytics.NAME.equals(template)) {
      err.println("millrace generate: --template must be " + ClickstreamAnalytics.NAME + ", " + FraudDetection.NAME
          + ", " + PredictiveMaintenance.NAME + ", " + PatientMonitoring.NAME + " or " + CampaignAnalytics.NAME
          + ", but was '" + template + "'");
      return Millrace.USAGE;
    }
    if (file == null || file.isBlank()) {
      err.println("millrace generate: --file=<path.jsonl> is required (where to write the records)");
      return Millrace.USAGE;
    }
    ClickstreamAnalyticsOptions options;
    try {
      options =
          OptionParsing.parse(
                  TemplateCatalogAccess.clickstream(), args)
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
    long records;
    try {
      records = write(path, options.getMaxEvents(), generator::recordsOf);
    } catch (IOException e) {
      err.println("millrace generate: cannot write " + file + ": " + e.getMessage());
      return Millrace.JOB_FAILED;
    }
    out.printf("wrote %,d records (%,d events) to %s%n", records, options.getMaxEvents(), path);
    return Millrace.OK;
  }

  static int transactions(PrintStream out, PrintStream err, String file, String accountsFile, String[] args) {
    if ((file == null || file.isBlank()) && (accountsFile == null || accountsFile.isBlank())) {
      err.println("millrace generate: --file=<transactions.jsonl> and/or --accountsFile=<accounts.jsonl> is required");
      return Millrace.USAGE;
    }
    FraudDetectionOptions options;
    try {
      options = OptionParsing.parse(TemplateCatalog.find(FraudDetection.NAME).orElseThrow(), args)
          .as(FraudDetectionOptions.class);
      if (file != null && options.getMaxEvents() <= 0) {
        throw new IllegalArgumentException("--maxEvents: required and > 0 (how many transactions to write)");
      }
      FraudDetection.validate(options);
    } catch (IllegalArgumentException e) {
      for (String line : e.getMessage().split("\n")) {
        err.println("millrace generate: " + line);
      }
      return Millrace.USAGE;
    }
    TransactionGenerator generator = new TransactionGenerator(FraudDetection.syntheticConfig(options));
    try {
      if (file != null && !file.isBlank()) {
        long records = write(Paths.get(file), options.getMaxEvents(), generator::recordsOf);
        out.printf("wrote %,d transaction records (%,d positions) to %s%n", records, options.getMaxEvents(), file);
      }
      if (accountsFile != null && !accountsFile.isBlank()) {
        List<String> rows = AccountTables.toJsonLines(generator.accounts());
        write(Paths.get(accountsFile), 1, n -> rows);
        out.printf("wrote %,d accounts to %s%n", rows.size(), accountsFile);
      }
    } catch (IOException e) {
      err.println("millrace generate: cannot write: " + e.getMessage());
      return Millrace.JOB_FAILED;
    }
    return Millrace.OK;
  }

  static int readings(PrintStream out, PrintStream err, String file, String registryFile, String[] args) {
    if ((file == null || file.isBlank()) && (registryFile == null || registryFile.isBlank())) {
      err.println("millrace generate: --file=<readings.jsonl> and/or --registryFile=<devices.jsonl> is required");
      return Millrace.USAGE;
    }
    PredictiveMaintenanceOptions options;
    try {
      options = OptionParsing.parse(TemplateCatalog.find(PredictiveMaintenance.NAME).orElseThrow(), args)
          .as(PredictiveMaintenanceOptions.class);
      if (file != null && options.getMaxEvents() <= 0) {
        throw new IllegalArgumentException("--maxEvents: required and > 0 (how many readings to write)");
      }
      PredictiveMaintenance.validate(options);
    } catch (IllegalArgumentException e) {
      for (String line : e.getMessage().split("\n")) {
        err.println("millrace generate: " + line);
      }
      return Millrace.USAGE;
    }
    SensorGenerator generator = new SensorGenerator(PredictiveMaintenance.syntheticConfig(options));
    return writeBoth(out, err, file, options.getMaxEvents(), generator::recordsOf, "sensor reading records",
        registryFile, generator.registryJsonLines(), "devices");
  }

  /** Writes {@code positions} positions' records to {@code file} and the reference rows to {@code tableFile}, each if given. */
  private static int writeBoth(PrintStream out, PrintStream err, String file, long positions,
      LongFunction<List<String>> recordsOf, String recordsWhat, String tableFile, List<String> rows, String rowsWhat) {
    try {
      if (file != null && !file.isBlank()) {
        long records = write(Paths.get(file), positions, recordsOf);
        out.printf("wrote %,d %s (%,d positions) to %s%n", records, recordsWhat, positions, file);
      }
      if (tableFile != null && !tableFile.isBlank()) {
        write(Paths.get(tableFile), 1, n -> rows);
        out.printf("wrote %,d %s to %s%n", rows.size(), rowsWhat, tableFile);
      }
    } catch (IOException e) {
      err.println("millrace generate: cannot write: " + e.getMessage());
      return Millrace.JOB_FAILED;
    }
    return Millrace.OK;
  }

  static int vitals(PrintStream out, PrintStream err, String file, String registryFile, String[] args) {
    if ((file == null || file.isBlank()) && (registryFile == null || registryFile.isBlank())) {
      err.println("millrace generate: --file=<vitals.jsonl> and/or --registryFile=<patients.jsonl> is required");
      return Millrace.USAGE;
    }
    PatientMonitoringOptions options;
    try {
      options = OptionParsing.parse(TemplateCatalog.find(PatientMonitoring.NAME).orElseThrow(), args)
          .as(PatientMonitoringOptions.class);
      if (file != null && options.getMaxEvents() <= 0) {
        throw new IllegalArgumentException("--maxEvents: required and > 0 (how many readings to write)");
      }
      PatientMonitoring.validate(options);
    } catch (IllegalArgumentException e) {
      for (String line : e.getMessage().split("\n")) {
        err.println("millrace generate: " + line);
      }
      return Millrace.USAGE;
    }
    VitalsGenerator generator = new VitalsGenerator(PatientMonitoring.syntheticConfig(options));
    return writeBoth(out, err, file, options.getMaxEvents(), generator::recordsOf, "vitals records",
        registryFile, generator.registryJsonLines(), "patients");
  }

  /**
   * campaign-analytics: the three streams and both tables into {@code dir}: impressions.jsonl,
   * clicks.jsonl, conversions.jsonl, campaigns.jsonl and customers.jsonl (the file names a file run takes).
   */
  static int adEvents(PrintStream out, PrintStream err, String dir, String[] args) {
    if (dir == null || dir.isBlank()) {
      err.println("millrace generate: --dir=<directory> is required with --template=" + CampaignAnalytics.NAME
          + " (it gets impressions.jsonl, clicks.jsonl, conversions.jsonl, campaigns.jsonl and customers.jsonl)");
      return Millrace.USAGE;
    }
    CampaignAnalyticsOptions options;
    try {
      options = OptionParsing.parse(TemplateCatalog.find(CampaignAnalytics.NAME).orElseThrow(), args)
          .as(CampaignAnalyticsOptions.class);
      if (options.getMaxEvents() <= 0) {
        throw new IllegalArgumentException("--maxEvents: required and > 0 (how many impressions to write)");
      }
      CampaignAnalytics.validate(options);
    } catch (IllegalArgumentException e) {
      for (String line : e.getMessage().split("\n")) {
        err.println("millrace generate: " + line);
      }
      return Millrace.USAGE;
    }
    AdEventsGenerator generator = new AdEventsGenerator(CampaignAnalytics.syntheticConfig(options));
    Path root = Paths.get(dir);
    try {
      Files.createDirectories(root);
      for (String stream : CampaignAnalytics.STREAMS) {
        Path path = root.resolve(stream + ".jsonl");
        long records = write(path, options.getMaxEvents(), n -> generator.recordsOf(n, stream));
        out.printf("wrote %,d %s records to %s%n", records, stream, path);
      }
      Files.write(root.resolve("campaigns.jsonl"), generator.campaignsJsonLines(), StandardCharsets.UTF_8);
      Files.write(root.resolve("customers.jsonl"), generator.customersJsonLines(), StandardCharsets.UTF_8);
      out.printf("wrote campaigns.jsonl and customers.jsonl to %s%n", root);
    } catch (IOException e) {
      err.println("millrace generate: cannot write " + dir + ": " + e.getMessage());
      return Millrace.JOB_FAILED;
    }
    return Millrace.OK;
  }

  /** Writes the records of positions 0..positions-1, one per line (gzip for .gz); returns how many. */
  private static long write(Path path, long positions, LongFunction<List<String>> recordsOf) throws IOException {
    long records = 0;
    try (OutputStream raw = Files.newOutputStream(path);
        OutputStream stream = path.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
        BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16)) {
      for (long n = 0; n < positions; n++) {
        for (String record : recordsOf.apply(n)) {
          writer.write(record);
          writer.write('\n');
          records++;
        }
      }
    }
    return records;
  }
}
