package dev.millrace.transforms.logs;

import dev.millrace.model.AccessLogEntry;
import dev.millrace.model.ClientSession;
import dev.millrace.transforms.aggregate.TotalsFn;
import dev.millrace.transforms.window.Windowing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.SetCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Client sessions: the requests of one IP in event-time session windows. A gap of exactly the
 * session gap between two requests starts a new session (Beam's session windows are half-open).
 */
public final class SessionsPerClient extends PTransform<PCollection<AccessLogEntry>, PCollection<ClientSession>> {
  private final Windowing windowing;

  private SessionsPerClient(Windowing windowing) {
    this.windowing = Windowing.requireKind(Windowing.Kind.SESSIONS, windowing, "client sessions");
  }

  /** Sessions ended by a 30-minute gap, with {@link Windowing}'s default panes. */
  public static SessionsPerClient create() {
    return new SessionsPerClient(Windowing.sessions(Duration.standardMinutes(30)));
  }

  /** The session windows (their gap), lateness and panes. */
  public SessionsPerClient withWindowing(Windowing windowing) {
    return new SessionsPerClient(windowing);
  }

  @Override
  public PCollection<ClientSession> expand(PCollection<AccessLogEntry> entries) {
    return entries
        // One row per session and pane; late requests that join a session fire a corrected row.
        .apply("WindowIntoSessions", windowing.<AccessLogEntry>into())
        .apply("KeyByIp", WithKeys.of(AccessLogEntry::getIp).withKeyType(TypeDescriptors.strings()))
        .apply("AggregatePerSession", Combine.perKey(new SessionTotalsFn()))
        .apply("ToRows", ParDo.of(new ToRowFn()))
        // Every session is a window of its own; hourly windows (by the session's end) keep the
        // written files to one per hour rather than one per session.
        .apply("IntoHourlyWindows", Window.<ClientSession>into(FixedWindows.of(Duration.standardHours(1))));
  }

  static final class SessionTotals {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long requests;
    long bytes;
    final Set<String> paths = new HashSet<>();
  }

  static final class SessionTotalsFn extends TotalsFn<AccessLogEntry, SessionTotals> {
    @Override
    public SessionTotals createAccumulator() {
      return new SessionTotals();
    }

    @Override
    public SessionTotals addInput(SessionTotals s, AccessLogEntry e) {
      long t = e.getEventTime().getMillis();
      s.first = Math.min(s.first, t);
      s.last = Math.max(s.last, t);
      s.requests++;
      s.bytes += e.getBytes();
      if (e.getPath() != null) {
        s.paths.add(e.getPath());
      }
      return s;
    }

    @Override
    protected void mergeInto(SessionTotals into, SessionTotals s) {
      into.first = Math.min(into.first, s.first);
      into.last = Math.max(into.last, s.last);
      into.requests += s.requests;
      into.bytes += s.bytes;
      into.paths.addAll(s.paths);
    }

    @Override
    protected Coder<SessionTotals> totalsCoder() {
      return new SessionTotalsCoder();
    }
  }

  /** The totals field by field, not by Java serialization (see TrafficStatsPerWindow.TrafficTotalsCoder). */
  static final class SessionTotalsCoder extends CustomCoder<SessionTotals> {
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final SetCoder<String> PATHS = SetCoder.of(StringUtf8Coder.of());

    @Override
    public void encode(SessionTotals s, OutputStream out) throws IOException {
      LONG.encode(s.first, out);
      LONG.encode(s.last, out);
      LONG.encode(s.requests, out);
      LONG.encode(s.bytes, out);
      PATHS.encode(s.paths, out);
    }

    @Override
    public SessionTotals decode(InputStream in) throws IOException {
      SessionTotals s = new SessionTotals();
      s.first = LONG.decode(in);
      s.last = LONG.decode(in);
      s.requests = LONG.decode(in);
      s.bytes = LONG.decode(in);
      s.paths.addAll(PATHS.decode(in));
      return s;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof SessionTotalsCoder;
    }

    @Override
    public int hashCode() {
      return SessionTotalsCoder.class.hashCode();
    }
  }

  static final class ToRowFn extends DoFn<KV<String, SessionTotals>, ClientSession> {
    @ProcessElement
    public void process(@Element KV<String, SessionTotals> session, OutputReceiver<ClientSession> out) {
      SessionTotals s = session.getValue();
      out.output(ClientSession.create(session.getKey(), new Instant(s.first), new Instant(s.last),
          s.requests, s.bytes, s.paths.size()));
    }
  }
}
