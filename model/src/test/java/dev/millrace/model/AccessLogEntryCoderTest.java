package dev.millrace.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.beam.sdk.testing.CoderProperties;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class AccessLogEntryCoderTest {
  @Test
  void everyFieldSurvivesARoundTripWithAndWithoutTheOptionalOnes() throws Exception {
    AccessLogEntry full = AccessLogEntry.builder().setIp("2001:db8::1").setEventTime(Instant.parse("2015-05-17T10:05:03Z"))
        .setMethod("GET").setPath("/straße/ü").setQuery("a=1&b=\"2\"").setProtocol("HTTP/1.1").setStatus(404)
        .setBytes(9_000_000_000L).setReferrer("https://x/").setUserAgent("Googlebot/2.1").setBot(true).build();
    AccessLogEntry bare = AccessLogEntry.builder().setIp("10.0.0.1").setEventTime(new Instant(-1))
        .setStatus(408).setBytes(0).setBot(false).build();
    for (AccessLogEntry e : new AccessLogEntry[] {full, bare}) {
      CoderProperties.coderDecodeEncodeEqual(AccessLogEntryCoder.of(), e);
      CoderProperties.coderDeterministic(AccessLogEntryCoder.of(), e, e);
    }
    assertThat(bare.getPath()).isNull();
  }
}
