package dev.millrace.io.parquet;

import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.DateTimeZone;
import org.joda.time.format.DateTimeFormat;
import org.joda.time.format.DateTimeFormatter;

/**
 * Names a file by its partition, dataset, window, pane and shard, e.g. {@code
 * dt=2026-11-27/hour=10/page_stats-20261127T100000Z-20261127T100100Z-p0-00000-of-00001.parquet}. No
 * {@code :} (illegal on some filesystems); the pane index keeps late panes from overwriting earlier
 * ones.
 */
final class WindowedFileNaming implements FileIO.Write.FileNaming {
  private static final DateTimeFormatter COMPACT_UTC =
      DateTimeFormat.forPattern("yyyyMMdd'T'HHmmss'Z'").withZone(DateTimeZone.UTC);

  private final String partition;
  private final String dataset;

  WindowedFileNaming(String partition, String dataset) {
    this.partition = partition;
    this.dataset = dataset;
  }

  @Override
  public String getFilename(
      BoundedWindow window, PaneInfo pane, int numShards, int shardIndex, Compression compression) {
    String windowPart =
        window instanceof IntervalWindow
            ? COMPACT_UTC.print(((IntervalWindow) window).start())
                + "-"
                + COMPACT_UTC.print(((IntervalWindow) window).end())
            : "all";
    return String.format(
        "%s/%s-%s-p%d-%05d-of-%05d.parquet",
        partition, dataset, windowPart, pane.getIndex(), shardIndex, numShards);
  }
}
