package dev.millrace.transforms.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.checkerframework.checker.nullness.qual.Nullable;

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
      throw invalid(Rejection.EMPTY_RECORD, "the record is empty");
    }
    // A char is at most 3 UTF-8 bytes, so only long payloads need an exact count.
    if ((long) payload.length() * 3 > maxRecordBytes) {
      int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > maxRecordBytes) {
        throw invalid(
            Rejection.RECORD_TOO_LARGE,
            "the record is " + bytes + " bytes, more than the limit of " + maxRecordBytes);
      }
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(payload);
    } catch (JsonProcessingException e) {
      throw invalid(Rejection.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid(
          Rejection.NOT_AN_OBJECT, "the record must be a JSON object, but was " + describe(root));
    }
    return root;
  }

  // The field checks every JSON contract shares; each rejection names the field and what it was.

  static String requiredString(JsonNode root, String field) throws InvalidRecordException {
    JsonNode node = present(root, field);
    if (!node.isTextual()) {
      throw invalid(
          Rejection.WRONG_TYPE,
          "field '" + field + "' must be a string, but was " + describe(node));
    }
    String value = node.textValue();
    if (value.isBlank()) {
      throw invalid(Rejection.EMPTY_FIELD, "required field '" + field + "' is empty");
    }
    return value;
  }

  /** A required field that is a JSON number (any size; the caller checks its range and kind). */
  static JsonNode requiredNumber(JsonNode root, String field) throws InvalidRecordException {
    JsonNode node = present(root, field);
    if (!node.isNumber()) {
      throw invalid(Rejection.WRONG_TYPE, "field '" + field + "' must be a number, but was " + describe(node));
    }
    return node;
  }
  /** A required field's node: neither missing nor null. */
  private static JsonNode present(JsonNode root, String field) throws InvalidRecordException {
    JsonNode node = root.get(field);
    if (node == null) {
      throw invalid(Rejection.MISSING_FIELD, "required field '" + field + "' is missing");
    }
    if (node.isNull()) {
      throw invalid(Rejection.NULL_FIELD, "required field '" + field + "' is null");
    }
    return node;
  }


  static @Nullable String optionalString(JsonNode root, String field)
      throws InvalidRecordException {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw invalid(
          Rejection.WRONG_TYPE,
          "field '" + field + "' must be a string, but was " + describe(node));
    }
    return node.textValue();
  }

  static InvalidRecordException invalid(String reason, String message) {
    return new InvalidRecordException(new Rejection(reason, message));
  }

  static String describe(@Nullable JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    switch (node.getNodeType()) {
      case ARRAY:
        return "an array";
      case OBJECT:
        return "an object";
      case BOOLEAN:
        return "a boolean (" + node.asText() + ")";
      case NUMBER:
        return "a number (" + node.asText() + ")";
      case STRING:
        return "a string ('" + abbreviate(node.textValue()) + "')";
      case NULL:
        return "null";
      default:
        return node.getNodeType().name().toLowerCase();
    }
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }
}
