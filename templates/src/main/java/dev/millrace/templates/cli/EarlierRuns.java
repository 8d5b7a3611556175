package dev.millrace.templates.cli;

import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The Parquet files a run left as they were under its output: files of earlier runs' windows that it did
 * not write again. Why: a file is named after its dataset, window and shard, so a rerun with the same
 * parameters replaces every file, but a rerun with another window size (or other data) writes beside
 * the earlier files, and {@code query} and {@code report}, which read every file under the output,
 * then count both runs. Said after the run, once it is known which files it rewrote.
 */
final class EarlierRuns {
  private EarlierRuns() {}

  /** How many Parquet files under {@code output}'s datasets were last written before {@code startedMillis}. */
  static long filesBefore(String output, List<String> datasets, long startedMillis, PipelineOptions options)
      throws IOException {
    FileSystems.setDefaultPipelineOptions(options);
    String base = output.endsWith("/") ? output : output + "/";
    long older = 0;
    for (String dataset : datasets) {
      MatchResult match = FileSystems.match(base + dataset + "/**.parquet", EmptyMatchTreatment.ALLOW);
      if (match.status() != MatchResult.Status.OK) {
        continue;
      }
      for (MatchResult.Metadata file : match.metadata()) {
        if (file.lastModifiedMillis() > 0 && file.lastModifiedMillis() < startedMillis) {
          older++;
        }
      }
    }
    return older;
  }

  /** The note for {@code older} files left from earlier runs, or null when there are none. */
  static String note(long older) {
    return older == 0 ? null : String.format("%,d Parquet file%s under --output %s from earlier runs (windows this"
        + " run did not write again); query and report read them beside this run's. A new --output keeps"
        + " a run apart.", older, older == 1 ? "" : "s", older == 1 ? "is" : "are");
  }
}
