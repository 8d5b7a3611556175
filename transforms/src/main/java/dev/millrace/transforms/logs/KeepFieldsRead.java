package dev.millrace.transforms.logs;

import dev.millrace.model.AccessLogEntry;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Keeps of each access log entry only the fields {@link TrafficStatsPerWindow} and {@link
 * SessionsPerClient} read (client, time, path, status, bytes, bot), for the steps between the parser
 * and them: on a runner every entry is encoded once per consumer and sorted for sessions, and the
 * user agent and referrer are most of its bytes, read by neither.
 */
public final class KeepFieldsRead extends PTransform<PCollection<AccessLogEntry>, PCollection<AccessLogEntry>> {
  private KeepFieldsRead() {}

  public static KeepFieldsRead ofLogStatistics() {
    return new KeepFieldsRead();
  }

  @Override
  public PCollection<AccessLogEntry> expand(PCollection<AccessLogEntry> entries) {
    return entries
        .apply("DropUnreadFields", MapElements.into(TypeDescriptor.of(AccessLogEntry.class))
            .via(KeepFieldsRead::withFieldsRead))
        .setCoder(entries.getCoder());
  }

  static AccessLogEntry withFieldsRead(AccessLogEntry entry) {
    return entry.toBuilder().setMethod(null).setQuery(null).setProtocol(null).setReferrer(null).setUserAgent(null)
        .build();
  }
}
