package dev.millrace.transforms.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.AccessLogEntry;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** What the log statistics read survives; the fields neither reads are dropped before the shuffles. */
class LogStatisticsFieldsTest {
  @Test
  void keepsClientTimePathStatusBytesAndBotOnly() {
    AccessLogEntry full = AccessLogEntry.builder().setIp("10.0.0.7").setEventTime(Instant.parse("2015-05-17T10:05:03Z"))
        .setMethod("GET").setPath("/a").setQuery("q=1").setProtocol("HTTP/1.1").setStatus(503).setBytes(42)
        .setReferrer("https://x/").setUserAgent("Googlebot/2.1").setBot(true).build();

    assertThat(LogStatisticsFields.of(full)).isEqualTo(AccessLogEntry.builder().setIp("10.0.0.7")
        .setEventTime(full.getEventTime()).setPath("/a").setStatus(503).setBytes(42).setBot(true).build());
  }
}
