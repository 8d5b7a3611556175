package dev.millrace.transforms.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** The log totals' coders give back every field, empty sets and maps and the sentinel times included. */
class TotalsCodersTest {
  @Test
  void trafficTotalsRoundTrip() throws Exception {
    TrafficStatsPerWindow.TrafficTotals t = new TrafficStatsPerWindow.TrafficTotals();
    TrafficStatsPerWindow.TrafficTotals empty = CoderUtils.clone(new TrafficStatsPerWindow.TrafficTotalsCoder(), t);
    assertThat(empty).usingRecursiveComparison().isEqualTo(t);

    t.requests = 7;
    t.bytes = 123_456_789_012L;
    t.status2xx = 3;
    t.status3xx = 1;
    t.status4xx = 2;
    t.status5xx = 1;
    t.bots = 4;
    t.ips.add("10.0.0.1");
    t.ips.add("2001:db8::1");
    t.pathRequests.put("/index.html", 5L);
    t.pathRequests.put("/ünïcode?q=1", 2L);
    TrafficStatsPerWindow.TrafficTotals copy = CoderUtils.clone(new TrafficStatsPerWindow.TrafficTotalsCoder(), t);
    assertThat(copy).usingRecursiveComparison().isEqualTo(t);
  }

  @Test
  void sessionTotalsRoundTrip() throws Exception {
    SessionsPerClient.SessionTotals s = new SessionsPerClient.SessionTotals();
    assertThat(CoderUtils.clone(new SessionsPerClient.SessionTotalsCoder(), s))
        .as("a new accumulator: first = Long.MAX_VALUE, last = Long.MIN_VALUE").usingRecursiveComparison().isEqualTo(s);
    s.first = 1_700_000_000_000L;
    s.last = 1_700_000_600_000L;
    s.requests = 12;
    s.bytes = 4096;
    s.paths.add("/a");
    s.paths.add("/b");
    assertThat(CoderUtils.clone(new SessionsPerClient.SessionTotalsCoder(), s)).usingRecursiveComparison().isEqualTo(s);
  }
}
