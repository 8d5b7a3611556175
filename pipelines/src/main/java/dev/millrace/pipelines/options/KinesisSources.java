package dev.millrace.pipelines.options;

import org.apache.beam.sdk.options.StreamingOptions;

import dev.millrace.io.kinesis.KinesisRecordsIO;
import java.util.List;

/** {@code --source=kinesis} for any pipeline: its checks and its read, from {@link KinesisSourceOptions}. */
public final class KinesisSources {
  private KinesisSources() {}

  /** Adds one line per problem with the Kinesis options. */
  public static void check(KinesisSourceOptions options, List<Problem> problems) {
    if (options.getStream() == null || options.getStream().isBlank()) {
      problems.add(new Problem("--stream", "required with --source=kinesis (the Kinesis stream to read)"));
    }
    checkSettings(options, problems);
  }

  /** The checks of every Kinesis option but the stream name (for pipelines that read several streams). */
  public static void checkSettings(KinesisSourceOptions options, List<Problem> problems) {
    try {
      KinesisRecordsIO.read().withInitialPosition(options.getInitialPosition());
    } catch (IllegalArgumentException e) {
      problems.add(new Problem("--initialPosition", "must be LATEST, TRIM_HORIZON or an ISO-8601 instant, but was '"
          + options.getInitialPosition() + "'"));
    }
    if (options.getMaxRecords() < 0) {
      problems.add(new Problem("--maxRecords", "must be >= 0 (0 means no limit), but was " + options.getMaxRecords()));
    }
    if (options.getMaxReadTime() != null && !options.getMaxReadTime().isBlank()) {
      OptionChecks.checkDuration("--maxReadTime", options.getMaxReadTime(), true, problems);
    }
    OptionChecks.checkDuration("--idleTimeout", options.getIdleTimeout(), true, problems);
    OptionChecks.checkDuration("--maxOutOfOrderness", options.getMaxOutOfOrderness(), false, problems);
    String endpoint = options.getKinesisEndpoint();
    if (endpoint != null && !endpoint.isBlank() && !endpoint.matches("https?://[^/\\s]+/?")) {
      problems.add(new Problem("--kinesisEndpoint", "must be a URL such as http://127.0.0.1:4568, but was '" + endpoint + "'"));
    }
  }

  /**
   * Conflicting parameters: Kinesis parameters with another source, or input files with a source
   * that is not files (synthetic included: --input without --source=file would otherwise run the
   * generator and never read the files). Each names the parameter and the source that ignores it.
   */
  public static void checkConflicts(KinesisSourceOptions options, String source, String input, List<Problem> problems) {
    if (("kinesis".equals(source) || "synthetic".equals(source)) && input != null && !input.isBlank()) {
      problems.add(new Problem("--input", "conflicts with --source=" + source + " (files are read with --source=file)"));
    }
    if ("kinesis".equals(source)) {
      return;
    }
    if (options.getStream() != null) {
      problems.add(new Problem("--stream", "conflicts with --source=" + source + " (a stream is read with --source=kinesis)"));
    }
    if (options.getMaxRecords() > 0) {
      problems.add(new Problem("--maxRecords", "conflicts with --source=" + source + " (it bounds a Kinesis read)"));
    }
    if (options.getMaxReadTime() != null && !options.getMaxReadTime().isBlank()) {
      problems.add(new Problem("--maxReadTime", "conflicts with --source=" + source + " (it bounds a Kinesis read)"));
    }
  }

  /** The read the options describe (checked by {@link #check} first). */
  public static KinesisRecordsIO.Read read(KinesisSourceOptions options) {
    return read(options, options.getStream());
  }

  /** The read the options describe, of {@code stream} rather than --stream. */
  public static KinesisRecordsIO.Read read(KinesisSourceOptions options, String stream) {
    return read(options, stream, options.getMaxRecords());
  }

  /** The read the options describe, of {@code stream} and at most {@code maxRecords} records (0: no limit). */
  public static KinesisRecordsIO.Read read(KinesisSourceOptions options, String stream, long maxRecords) {
    KinesisRecordsIO.Read read =
        KinesisRecordsIO.read()
            .withStreamName(stream)
            .withInitialPosition(options.getInitialPosition())
            .withMaxOutOfOrderness(Durations.parse(options.getMaxOutOfOrderness()))
            .withIdleTimeout(Durations.parse(options.getIdleTimeout()));
    if (maxRecords > 0) {
      read = read.withMaxNumRecords(maxRecords);
      if (options.as(StreamingOptions.class).isStreaming()) {
        // A streaming run stays one: the read is unbounded and its watermark ends after the
        // records, so every window becomes final and the job ends, on Direct, Flink and Spark
        // alike (Spark streams unbounded input only).
        read = read.withUnboundedLimit();
      }
    }
    if (options.getMaxReadTime() != null && !options.getMaxReadTime().isBlank()) {
      read = read.withMaxReadTime(Durations.parse(options.getMaxReadTime()));
    }
    if (options.getKinesisEndpoint() != null && !options.getKinesisEndpoint().isBlank()) {
      read = read.withEndpoint(options.getKinesisEndpoint());
    }
    return read;
  }
}
