package dev.millrace.transforms.parse;

import static dev.millrace.transforms.parse.JsonRecords.abbreviate;
import static dev.millrace.transforms.parse.JsonRecords.describe;
import static dev.millrace.transforms.parse.JsonRecords.invalid;
import static dev.millrace.transforms.parse.JsonRecords.requiredNumber;
import static dev.millrace.transforms.parse.JsonRecords.requiredString;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.transforms.campaign.AdClick;
import dev.millrace.transforms.campaign.Conversion;
import dev.millrace.transforms.campaign.Impression;
import java.math.BigDecimal;
import org.joda.time.Instant;

/**
 * The three ad-event record contracts of campaign-analytics. Every one is a JSON object with a
 * non-empty string id and an ISO-8601 {@code event_time}; unknown fields are ignored. Pure and
 * thread-safe; bad input is an {@link InvalidRecordException}, never another exception.
 */
public final class AdEventParsers {
  private AdEventParsers() {}

  /**
   * Impressions: {@code impression_id}, {@code event_time}, {@code campaign_id}, {@code user_id},
   * {@code placement} (non-empty strings) and {@code cost_micros} (an integer >= 0).
   */
  public static final class ImpressionParser implements RecordParser<Impression> {
    private final int maxRecordBytes;

    public ImpressionParser(int maxRecordBytes) {
      this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public Impression parse(String payload) throws InvalidRecordException {
      JsonNode root = JsonRecords.objectOf(payload, maxRecordBytes);
      String id = requiredString(root, "impression_id");
      Instant eventTime = EventTimes.parse("event_time", requiredString(root, "event_time"));
      String campaignId = requiredString(root, "campaign_id");
      String userId = requiredString(root, "user_id");
      String placement = requiredString(root, "placement");
      return new Impression(id, eventTime, campaignId, userId, placement, costMicros(root));
    }

    @Override
    public Instant eventTimeOf(Impression impression) {
      return impression.eventTime();
    }

    private static long costMicros(JsonNode root) throws InvalidRecordException {
      JsonNode node = requiredNumber(root, "cost_micros");
      // 1000.0 is a float in JSON: the contract asks for an integer, as Python's json and most others parse it.
      if (!node.isIntegralNumber()) {
        throw invalid(Rejection.WRONG_TYPE, "field 'cost_micros' must be an integer, but was " + describe(node));
      }
      if (!node.canConvertToLong()) {
        throw invalid(Rejection.WRONG_TYPE, "field 'cost_micros' is out of range: " + abbreviate(node.asText()));
      }
      long micros = node.longValue();
      if (micros < 0) {
        throw invalid(Rejection.NEGATIVE_AMOUNT, "field 'cost_micros' must be >= 0, but was " + micros);
      }
      return micros;
    }
  }

  /** Clicks: {@code click_id}, {@code event_time}, {@code impression_id}, {@code user_id} (non-empty strings). */
  public static final class AdClickParser implements RecordParser<AdClick> {
    private final int maxRecordBytes;

    public AdClickParser(int maxRecordBytes) {
      this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public AdClick parse(String payload) throws InvalidRecordException {
      JsonNode root = JsonRecords.objectOf(payload, maxRecordBytes);
      String id = requiredString(root, "click_id");
      Instant eventTime = EventTimes.parse("event_time", requiredString(root, "event_time"));
      String impressionId = requiredString(root, "impression_id");
      String userId = requiredString(root, "user_id");
      return new AdClick(id, eventTime, impressionId, userId);
    }

    @Override
    public Instant eventTimeOf(AdClick click) {
      return click.eventTime();
    }
  }

  /**
   * Conversions: {@code conversion_id}, {@code event_time}, {@code user_id} (non-empty strings) and
   * {@code order_value} (a number >= 0, kept as the record's exact decimal).
   */
  public static final class ConversionParser implements RecordParser<Conversion> {
    private final int maxRecordBytes;

    public ConversionParser(int maxRecordBytes) {
      this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public Conversion parse(String payload) throws InvalidRecordException {
      JsonNode root = JsonRecords.objectOf(payload, maxRecordBytes);
      String id = requiredString(root, "conversion_id");
      Instant eventTime = EventTimes.parse("event_time", requiredString(root, "event_time"));
      String userId = requiredString(root, "user_id");
      return new Conversion(id, eventTime, userId, orderValue(root));
    }

    @Override
    public Instant eventTimeOf(Conversion conversion) {
      return conversion.eventTime();
    }

    private static BigDecimal orderValue(JsonNode root) throws InvalidRecordException {
      JsonNode node = requiredNumber(root, "order_value");
      // 1e400 can arrive as an infinite double, which has no decimal value: check before decimalValue().
      if (!Double.isFinite(node.doubleValue()) || !Double.isFinite(node.decimalValue().doubleValue())) {
        throw invalid(Rejection.WRONG_TYPE, "field 'order_value' is out of range: " + abbreviate(node.asText()));
      }
      BigDecimal value = node.decimalValue();
      if (value.signum() < 0) {
        throw invalid(Rejection.NEGATIVE_AMOUNT, "field 'order_value' must be >= 0, but was " + abbreviate(node.asText()));
      }
      return value;
    }
  }
}
