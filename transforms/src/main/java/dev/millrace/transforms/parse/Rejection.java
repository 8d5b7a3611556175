package dev.millrace.transforms.parse;

import java.util.Objects;

/** Why a record was rejected: a machine-readable reason code and a message for a person. */
public record Rejection(String reason, String message) {

  public static final String EMPTY_RECORD = "empty_record";
  public static final String RECORD_TOO_LARGE = "record_too_large";
  public static final String MALFORMED_JSON = "malformed_json";
  public static final String NOT_AN_OBJECT = "not_an_object";
  public static final String MISSING_FIELD = "missing_field";
  public static final String NULL_FIELD = "null_field";
  public static final String EMPTY_FIELD = "empty_field";
  public static final String WRONG_TYPE = "wrong_type";
  public static final String BAD_TIMESTAMP = "bad_timestamp";
  public static final String UNKNOWN_ACTION = "unknown_action";
  public static final String NEGATIVE_AMOUNT = "negative_amount";
  public static final String MISSING_AMOUNT = "missing_amount";
  /** A value of the right type outside its allowed set or format (an mcc of 3 digits, channel "web"). */
  public static final String INVALID_VALUE = "invalid_value";
  public static final String NON_POSITIVE_AMOUNT = "non_positive_amount";
  /** A number outside its inclusive range (a temperature of 400 C). */
  public static final String OUT_OF_RANGE = "out_of_range";

  public Rejection {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
