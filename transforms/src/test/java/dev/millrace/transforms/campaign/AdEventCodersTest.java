package dev.millrace.transforms.campaign;

import java.math.BigDecimal;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class AdEventCodersTest {
  static final Instant T = Instant.parse("2026-03-01T10:15:30.250Z");

  static <T> void roundTrips(Coder<T> coder, T value) throws Exception {
    CoderProperties.coderDecodeEncodeEqual(coder, value);
    CoderProperties.coderDeterministic(coder, value, value);
  }

  @Test
  void everyAdEventSurvivesItsCoder() throws Exception {
    roundTrips(AdEventCoders.ImpressionCoder.of(), new Impression("imp-1", T, "camp-ü", "u1", "feed", 1_250_000L));
    roundTrips(AdEventCoders.ImpressionCoder.of(), new Impression("", new Instant(-1), "", "", "", -3L));
    AdClick click = new AdClick("clk-1", T, "imp-1", "u1");
    roundTrips(AdEventCoders.AdClickCoder.of(), click);
    roundTrips(AdEventCoders.AttributedClickCoder.of(), new AttributedClick(click, "camp-1"));
    roundTrips(AdEventCoders.ConversionCoder.of(), new Conversion("cv-1", T, "u1", new BigDecimal("19.99")));
  }
}
