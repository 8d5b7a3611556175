package dev.millrace.transforms.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.millrace.transforms.campaign.AdClick;
import dev.millrace.transforms.campaign.Conversion;
import dev.millrace.transforms.campaign.Impression;
import java.math.BigDecimal;
import org.joda.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The three ad-event contracts: valid records as values, each broken rule as its reason code. */
class AdEventParsersTest {
  static final String IMPRESSION = "{\"impression_id\":\"i1\",\"event_time\":\"2026-03-01T10:00:00.5+01:00\","
      + "\"campaign_id\":\"c1\",\"user_id\":\"u1\",\"placement\":\"feed\",\"cost_micros\":1500,\"extra\":[1]}";
  static final String CLICK =
      "{\"click_id\":\"k1\",\"event_time\":\"2026-03-01T09:05:00Z\",\"impression_id\":\"i1\",\"user_id\":\"u1\"}";
  static final String CONVERSION =
      "{\"conversion_id\":\"v1\",\"event_time\":\"2026-03-01T09:30:00Z\",\"user_id\":\"u1\",\"order_value\":19.90}";

  final AdEventParsers.ImpressionParser impressions = new AdEventParsers.ImpressionParser(4096);
  final AdEventParsers.AdClickParser clicks = new AdEventParsers.AdClickParser(4096);
  final AdEventParsers.ConversionParser conversions = new AdEventParsers.ConversionParser(4096);

  @Test
  void validRecordsBecomeValuesWithTheirEventTimeAndExactValue() throws Exception {
    Impression i = impressions.parse(IMPRESSION);
    assertThat(i).isEqualTo(new Impression("i1", Instant.parse("2026-03-01T09:00:00.500Z"), "c1", "u1", "feed", 1500));
    assertThat(impressions.eventTimeOf(i)).isEqualTo(Instant.parse("2026-03-01T09:00:00.500Z"));
    AdClick c = clicks.parse(CLICK);
    assertThat(c).isEqualTo(new AdClick("k1", Instant.parse("2026-03-01T09:05:00Z"), "i1", "u1"));
    Conversion v = conversions.parse(CONVERSION);
    assertThat(v.orderValue()).isEqualByComparingTo(new BigDecimal("19.90"));
    assertThat(conversions.parse(CONVERSION.replace("19.90", "0")).orderValue()).isEqualByComparingTo("0");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "\"cost_micros\":1500|\"cost_micros\":-1|negative_amount",
      "\"cost_micros\":1500|\"cost_micros\":1500.0|wrong_type",
      "\"cost_micros\":1500|\"cost_micros\":\"1500\"|wrong_type",
      "\"cost_micros\":1500|\"cost_micros\":99999999999999999999|wrong_type",
      "\"cost_micros\":1500|\"cost_micros\":null|null_field",
      "\"placement\":\"feed\"|\"placement\":\" \"|empty_field",
      "\"campaign_id\":\"c1\"|\"campaign_id\":7|wrong_type",
      "\"event_time\":\"2026-03-01T10:00:00.5+01:00\"|\"event_time\":\"2026-03-01 10:00:00\"|bad_timestamp"})
  void impressionRules(String from, String to, String reason) {
    assertThat(reasonOf(impressions, IMPRESSION.replace(from, to))).isEqualTo(reason);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "\"order_value\":19.90|\"order_value\":-0.01|negative_amount",
      "\"order_value\":19.90|\"order_value\":\"19.90\"|wrong_type",
      "\"order_value\":19.90|\"order_value\":1e400|wrong_type",
      "\"order_value\":19.90|\"order_value\":null|null_field",
      "\"user_id\":\"u1\"|\"user_id\":\"\"|empty_field"})
  void conversionRules(String from, String to, String reason) {
    assertThat(reasonOf(conversions, CONVERSION.replace(from, to))).isEqualTo(reason);
  }

  @Test
  void clickRulesAndTheSharedOnes() {
    assertThat(reasonOf(clicks, CLICK.replace(",\"impression_id\":\"i1\"", ""))).isEqualTo("missing_field");
    assertThat(reasonOf(impressions, IMPRESSION.replace(",\"cost_micros\":1500", ""))).isEqualTo("missing_field");
    assertThat(reasonOf(clicks, "")).isEqualTo("empty_record");
    assertThat(reasonOf(clicks, "[]")).isEqualTo("not_an_object");
    assertThat(reasonOf(clicks, "{\"click_id\":")).isEqualTo("malformed_json");
    assertThat(reasonOf(new AdEventParsers.AdClickParser(40), CLICK)).isEqualTo("record_too_large");
  }

  static String reasonOf(RecordParser<?> parser, String payload) {
    InvalidRecordException e = catchThrowableOfType(() -> parser.parse(payload), InvalidRecordException.class);
    assertThat(e).as(payload).isNotNull();
    return e.rejection().reason();
  }
}
