package dev.millrace.templates.cli;

import java.io.IOException;
import org.apache.beam.sdk.PipelineResult;

/**
 * How the CLI ends a streaming job whose runner never ends it by itself (Spark's) when its input has
 * an end: a Kinesis read with {@code --maxRecords}. The runner's jar supplies it.
 */
public interface InputEnd {
  /** Whether the input has ended and the windows it closed are written (checked every second). */
  boolean reached();

  /** Stops the job once {@link #reached()}: nothing it still has to do is left to do. */
  void stop(PipelineResult result) throws IOException;
}
