package dev.millrace.templates.cli;

import dev.millrace.pipelines.summary.RunSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.PipelineResult;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/** Prints what a running job has done so far, every interval, until it ends. */
final class Progress {
  private final PrintStream out;
  /** Set when the JVM shuts down under the job (Ctrl-C): no line after the summary then printed. */
  private volatile boolean quiet;

  Progress(PrintStream out) {
    this.out = out;
  }

  /** Prints nothing more. */
  void quiet() {
    quiet = true;
  }

  PipelineResult.State waitUntilFinish(PipelineResult result, Duration interval) {
    return waitUntilFinish(result, interval, null);
  }

  /**
   * Also stops the job, and calls it done, once {@code inputEnded} says so (checked every second):
   * for a streaming runner whose jobs never end by themselves (Spark's) when the input has an end.
   */
  PipelineResult.State waitUntilFinish(
      PipelineResult result, Duration interval, @Nullable InputEnd inputEnded) {
    long started = System.nanoTime();
    long lastRead = 0;
    long lastTime = started;
    Duration poll = inputEnded == null ? interval : Duration.standardSeconds(1);
    long nextReport = started + interval.getMillis() * 1_000_000L;
    while (true) {
      PipelineResult.State state = result.waitUntilFinish(poll);
      if (state != null && state.isTerminal()) {
        return state;
      }
      if (inputEnded != null && inputEnded.reached()) {
        out.println("  ... the input has ended and its last windows are written: stopping the job");
        try {
          inputEnded.stop(result);
        } catch (IOException e) {
          throw new UncheckedIOException("could not stop the job at the end of its input", e);
        }
        return PipelineResult.State.DONE;
      }
      if (System.nanoTime() < nextReport || quiet) {
        continue;
      }
      nextReport += interval.getMillis() * 1_000_000L;
      RunSummary now = RunSummary.of(result);
      long time = System.nanoTime();
      double rate = (now.read() - lastRead) / ((time - lastTime) / 1e9);
      out.printf(
          "  ... %.0fs: %,d read (%,.0f/s), %,d parsed, %,d dead-lettered, %,d duplicates;"
              + " %,d rows in %,d file(s) written%n",
          (time - started) / 1e9, now.read(), rate, now.parsed(), now.deadLettered(),
          now.duplicates(), now.rowsWritten(), now.filesWritten());
      lastRead = now.read();
      lastTime = time;
    }
  }
}
