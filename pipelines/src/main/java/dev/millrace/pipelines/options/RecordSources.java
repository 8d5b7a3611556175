package dev.millrace.pipelines.options;

import org.apache.beam.sdk.values.PCollection;

import java.util.List;
import org.joda.time.Instant;

/** The checks shared by every pipeline whose records come from --source=synthetic, file or kinesis. */
public final class RecordSources {
  private RecordSources() {}

  /**
   * The source and what it needs: a known name, the Kinesis parameters, an input that matches files
   * ({@code inputWhat} says what the files hold); with {@code conflicts}, parameters that the source
   * would ignore.
   */
  public static <O extends RecordSourceOptions & KinesisSourceOptions> void check(
      O options, boolean conflicts, String inputWhat, List<Problem> problems) {
    String source = options.getSource();
    if (!"synthetic".equals(source) && !"file".equals(source) && !"kinesis".equals(source)) {
      problems.add(new Problem("--source", "must be synthetic, file or kinesis, but was '" + source + "'"));
    }
    if ("kinesis".equals(source)) {
      KinesisSources.check(options, problems);
    }
    if (conflicts) {
      KinesisSources.checkConflicts(options, source, options.getInput(), problems);
    }
    if ("file".equals(source)) {
      String input = options.getInput();
      if (input == null || input.isBlank()) {
        problems.add(new Problem("--input", "required with --source=file (" + inputWhat + ")"));
      } else {
        OptionChecks.checkInputMatches(options, input, problems);
      }
    }
  }

  /** With --source=synthetic: the generator's configuration builds ({@code config} throws naming the option). */
  public static void checkSynthetic(
      String source, GeneratorOptions options, Runnable config, List<Problem> problems) {
    if (!"synthetic".equals(source)) {
      return;
    }
    try {
      config.run();
    } catch (IllegalArgumentException e) {
      problems.add(Problem.parse(e.getMessage()));
    }
    if (options.getMaxEvents() < 0) {
      problems.add(new Problem("--maxEvents", "must be >= 0 (0 means unbounded), but was " + options.getMaxEvents()));
    }
  }

  /**
   * The synthetic source's first event time: --startTime when given, else {@code reproducible} for a
   * bounded run (the same file every time) and now for an unbounded one.
   */
  public static Instant startTime(GeneratorOptions options, Instant reproducible) {
    String start = options.getStartTime();
    if (start != null && !start.isBlank()) {
      try {
        return Instant.parse(start);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--startTime: " + e.getMessage());
      }
    }
    return options.getMaxEvents() == 0 ? Instant.now() : reproducible;
  }

  /**
   * Whether an unbounded synthetic run stamps its events from when its source starts reading, as a
   * live producer would: when no --startTime is given. (The start time is then "now" as the job is
   * built, which its start-up would put tens of seconds in the past.)
   */
  public static boolean startsWhenRead(GeneratorOptions options) {
    return options.getMaxEvents() == 0 && (options.getStartTime() == null || options.getStartTime().isBlank());
  }

  /**
   * Whether reference tables beside {@code records} are reloaded while the job runs: only when the
   * input is unbounded and has no end. An input that ends (a Kinesis read with {@code --maxRecords})
   * has them loaded once, so the job ends with its input: a reload source never ends, and a job
   * with one would run on (Direct, Flink) or never look finished (Spark) after the last record.
   */
  public static boolean reloadsReferenceData(PCollection<?> records) {
    return records.isBounded() == PCollection.IsBounded.UNBOUNDED
        && records.getPipeline().getOptions().as(KinesisSourceOptions.class).getMaxRecords() <= 0;
  }

  /** A generator config's own check ("rate must be > 0, but was: 0") as an option problem ("--rate: must ..."). */
  public static IllegalArgumentException asOptionProblem(IllegalArgumentException e) {
    return new IllegalArgumentException("--" + e.getMessage().replaceFirst("^(\\w+) must", "$1: must"));
  }
}
