package dev.millrace.io.parquet;

import java.io.Serializable;
import org.apache.beam.sdk.values.Row;
import org.joda.time.DateTimeZone;
import org.joda.time.ReadableInstant;
import org.joda.time.format.DateTimeFormat;
import org.joda.time.format.DateTimeFormatter;

/**
 * How rows map to Hive-style partition directories, from a timestamp column, in UTC. Readers such as
 * DuckDB, Spark and Athena turn {@code dt=.../hour=...} into columns.
 */
public abstract class Partitioning implements Serializable {
  private static final String DAY = "'dt='yyyy-MM-dd";
  private static final String DAY_AND_HOUR = "'dt='yyyy-MM-dd'/hour='HH";

  /** {@code dt=YYYY-MM-DD/hour=HH} of the named timestamp column. */
  public static Partitioning byHour(String timestampField) {
    return new ByTimestamp(timestampField, DAY_AND_HOUR);
  }

  /** {@code dt=YYYY-MM-DD} of the named timestamp column. */
  public static Partitioning byDay(String timestampField) {
    return new ByTimestamp(timestampField, DAY);
  }

  /** The partition directory of a row, relative to the dataset, without a trailing slash. */
  public abstract String partitionOf(Row row);

  private static final class ByTimestamp extends Partitioning {
    private final String field;
    private final String pattern;
    // Joda formatters are not serializable; built once per worker.
    private transient DateTimeFormatter format;

    ByTimestamp(String field, String pattern) {
      this.field = field;
      this.pattern = pattern;
    }

    @Override
    public String partitionOf(Row row) {
      ReadableInstant time = row.getDateTime(field);
      if (time == null) {
        throw new IllegalArgumentException("partition column '" + field + "' is null in " + row);
      }
      if (format == null) {
        format = DateTimeFormat.forPattern(pattern).withZone(DateTimeZone.UTC);
      }
      return format.print(time);
    }
  }
}
