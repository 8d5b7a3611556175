package dev.millrace.transforms.logs;

import dev.millrace.model.AccessLogEntry;
import dev.millrace.transforms.aggregate.KeepFieldsRead;

/**
 * The fields of an access log entry that {@link TrafficStatsPerWindow} and {@link SessionsPerClient}
 * read: client, time, path, status, bytes and bot. Method, query, protocol, referrer and user agent
 * (most of an entry's bytes) are read by neither.
 */
public final class LogStatisticsFields {
  private LogStatisticsFields() {}

  /** Drops the other fields, for the steps between the parser and the statistics. */
  public static KeepFieldsRead<AccessLogEntry> keepOnly() {
    return KeepFieldsRead.of(AccessLogEntry.class, LogStatisticsFields::of);
  }

  static AccessLogEntry of(AccessLogEntry entry) {
    return entry.toBuilder().setMethod(null).setQuery(null).setProtocol(null).setReferrer(null).setUserAgent(null)
        .build();
  }
}
