package dev.millrace.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.beam.sdk.testing.CoderProperties;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class ClickEventCoderTest {
  @Test
  void everyFieldSurvivesARoundTripWithAndWithoutTheOptionalOnes() throws Exception {
    ClickEvent full = ClickEvent.builder().setEventId("e-1").setEventTime(Instant.parse("2026-01-01T00:00:00.123Z"))
        .setUserId("u").setPage("/straße").setAction("purchase").setAmount(19.99).setSessionId("s")
        .setCountry("DE").setUserAgent("Mozilla/5.0").setReferrer("https://x/").build();
    ClickEvent bare = ClickEvent.builder().setEventId("e-2").setEventTime(new Instant(0)).setUserId("u")
        .setPage("/").setAction("view").build();
    for (ClickEvent e : new ClickEvent[] {full, bare}) {
      CoderProperties.coderDecodeEncodeEqual(ClickEventCoder.of(), e);
      CoderProperties.coderDeterministic(ClickEventCoder.of(), e, e);
    }
    assertThat(bare.getAmount()).isNull();
  }
}
