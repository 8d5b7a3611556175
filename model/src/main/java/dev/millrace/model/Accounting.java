package dev.millrace.model;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Counter names of the record accounting. Every input record ends in exactly one of: written (as part
 * of an aggregate), dead-lettered, dropped as a duplicate, or dropped as too late. Counters are
 * summed across steps by name, so two steps may report the same name.
 */
public final class Accounting {
  public static final String NAMESPACE = "millrace";

  public static final String RECORDS_READ = "records_read";
  public static final String RECORDS_PARSED = "records_parsed";
  /** Prefix of the per-reason dead-letter counters: {@code dead_letter.<reason>}. */
  public static final String DEAD_LETTER_PREFIX = "dead_letter.";
  public static final String DUPLICATES_DROPPED = "duplicates_dropped";
  public static final String UNIQUE_RECORDS = "unique_records";
  /**
   * The runners' own counter of elements dropped behind the allowed lateness ({@code
   * DroppedDueToLateness} on Direct, {@code droppedDueToLateness} on Flink), matched ignoring case.
   */
  public static final String DROPPED_DUE_TO_LATENESS = "droppedduetolateness";
  /** Panes that reached the output with no events (not records; reported, never written). */
  public static final String EMPTY_PANES_SKIPPED = "empty_panes_skipped";
  /** Blank input lines (access logs): skipped, not dead-lettered, but counted. */
  public static final String BLANK_LINES_SKIPPED = "blank_lines_skipped";
  public static final String DEAD_LETTERS_WRITTEN = "dead_letters_written";
  /** Prefix of the per-dataset row counters: {@code rows_written.<dataset>}. */
  public static final String ROWS_WRITTEN_PREFIX = "rows_written.";
  /** Prefix of the per-dataset file counters: {@code files_written.<dataset>}. */
  public static final String FILES_WRITTEN_PREFIX = "files_written.";

  private Accounting() {}

  public static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }
}
