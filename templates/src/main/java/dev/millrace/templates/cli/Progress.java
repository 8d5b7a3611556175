package dev.millrace.templates.cli;

import dev.millrace.pipelines.summary.RunSummary;
import java.io.PrintStream;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;

/** Prints what a running job has done so far, every interval, until it ends. */
final class Progress {
  private final PrintStream out;

  Progress(PrintStream out) {
    this.out = out;
  }

  PipelineResult.State waitUntilFinish(PipelineResult result, Duration interval) {
    long started = System.nanoTime();
    long lastRead = 0;
    long lastTime = started;
    while (true) {
      PipelineResult.State state = result.waitUntilFinish(interval);
      if (state != null && state.isTerminal()) {
        return state;
      }
      RunSummary now = RunSummary.of(result);
      long time = System.nanoTime();
      double rate = (now.read() - lastRead) / ((time - lastTime) / 1e9);
      out.printf(
          "  ... %.0fs: %,d read (%,.0f/s), %,d parsed, %,d dead-lettered, %,d duplicates;"
              + " %,d rows and %,d files written%n",
          (time - started) / 1e9, now.read(), rate, now.parsed(), now.deadLettered(),
          now.duplicates(), now.rowsWritten(), now.filesWritten());
      lastRead = now.read();
      lastTime = time;
    }
  }
}
