package dev.millrace.transforms.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/** The checks every JSON record contract starts with: not empty, not too large, one JSON object. */
public final class JsonRecords {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          // Keep the exact decimal text of numbers; amounts are summed exactly.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private JsonRecords() {}

  /** The payload as a JSON object, or the rejection that says why it is not one. */
  public static JsonNode objectOf(String payload, int maxRecordBytes) throws InvalidRecordException {
    if (payload.isBlank()) {
      throw ClickEventParser.invalid(Rejection.EMPTY_RECORD, "the record is empty");
    }
    // A char is at most 3 UTF-8 bytes, so only long payloads need an exact count.
    if ((long) payload.length() * 3 > maxRecordBytes) {
      int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > maxRecordBytes) {
        throw ClickEventParser.invalid(
            Rejection.RECORD_TOO_LARGE,
            "the record is " + bytes + " bytes, more than the limit of " + maxRecordBytes);
      }
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(payload);
    } catch (JsonProcessingException e) {
      throw ClickEventParser.invalid(Rejection.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw ClickEventParser.invalid(
          Rejection.NOT_AN_OBJECT, "the record must be a JSON object, but was " + ClickEventParser.describe(root));
    }
    return root;
  }
}
