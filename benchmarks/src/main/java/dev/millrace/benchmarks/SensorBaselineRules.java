package dev.millrace.benchmarks;

import dev.millrace.transforms.parse.InvalidRecordException;
import dev.millrace.transforms.parse.RecordParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The event-time rules the sensor templates' plain-Java baselines share, written as loops over data
 * already in event-time order (what the templates' transforms do per key as the watermark passes).
 */
final class SensorBaselineRules {
  private SensorBaselineRules() {}

  /** What a file held: lines read, records rejected (invalid, or refused by the reference check), copies. */
  record Counts(long read, long rejected, long duplicates) {}

  /**
   * Each valid record of {@code input} that {@code accepted} takes, the first of each id only, in file
   * order: parse, reference check, then de-duplication, as the templates do.
   */
  static <T> Counts forEachUniqueRecord(Path input, RecordParser<T> parser, Predicate<T> accepted,
      Function<T, String> id, Consumer<T> action) throws IOException {
    Set<String> seen = new HashSet<>();
    long read = 0;
    long rejected = 0;
    long duplicates = 0;
    try (BufferedReader lines = PlainJavaBaseline.lenientLines(input)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        read++;
        T record;
        try {
          record = parser.parse(line);
        } catch (InvalidRecordException e) {
          rejected++;
          continue;
        }
        if (!accepted.test(record)) {
          rejected++;
        } else if (!seen.add(id.apply(record))) {
          duplicates++;
        } else {
          action.accept(record);
        }
      }
    }
    return new Counts(read, rejected, duplicates);
  }

  /** The starts of the epoch-aligned sliding windows of {@code size} every {@code period} that hold {@code t}. */
  static List<Long> windowStarts(long t, long size, long period) {
    List<Long> starts = new ArrayList<>();
    for (long start = t - Math.floorMod(t, period); start > t - size; start -= period) {
      starts.add(start);
    }
    return starts;
  }

  /**
   * Runs of consecutive windows (starts one period apart) that meet a rule, fed in start order: says when
   * a run reaches {@code length}, once per run, as ConsecutiveWindowRuns emits it.
   */
  static final class WindowRuns {
    private final long period;
    private final int length;
    private long last = Long.MIN_VALUE;
    private int run;

    WindowRuns(long period, int length) {
      this.period = period;
      this.length = length;
    }

    /** A window at {@code start} meets the rule: whether its run has just reached the length. */
    boolean reachedAt(long start) {
      run = start - last == period ? run + 1 : 1;
      last = start;
      return run == length;
    }
  }

  /**
   * The readings after which a key is silent, as SilenceDetector sees them: each one followed by none for
   * more than {@code silenceMillis}, and the last one (the end of input is a silence).
   */
  static List<Long> silentAfter(List<Long> sortedTimes, long silenceMillis) {
    List<Long> silent = new ArrayList<>();
    for (int i = 0; i < sortedTimes.size(); i++) {
      if (i == sortedTimes.size() - 1 || sortedTimes.get(i + 1) - sortedTimes.get(i) > silenceMillis) {
        silent.add(sortedTimes.get(i));
      }
    }
    return silent;
  }
}
