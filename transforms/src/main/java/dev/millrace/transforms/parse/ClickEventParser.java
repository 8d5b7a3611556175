package dev.millrace.transforms.parse;

import static dev.millrace.transforms.parse.JsonRecords.abbreviate;
import static dev.millrace.transforms.parse.JsonRecords.describe;
import static dev.millrace.transforms.parse.JsonRecords.invalid;
import static dev.millrace.transforms.parse.JsonRecords.optionalString;
import static dev.millrace.transforms.parse.JsonRecords.requiredString;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.model.Action;
import dev.millrace.model.ClickEvent;
import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Turns one clickstream payload into a {@link ClickEvent} or a {@link Rejection}, following the
 * record contract. Pure and thread-safe; it never throws on bad input.
 */
public final class ClickEventParser implements Serializable {
  private final int maxRecordBytes;

  public ClickEventParser(int maxRecordBytes) {
    this.maxRecordBytes = maxRecordBytes;
  }

  /** The outcome of parsing one payload: exactly one of {@code event} and {@code rejection}. */
  public record Outcome(@Nullable ClickEvent event, @Nullable Rejection rejection) {
    static Outcome ok(ClickEvent event) {
      return new Outcome(event, null);
    }

    static Outcome rejected(String reason, String message) {
      return new Outcome(null, new Rejection(reason, message));
    }

    public boolean isValid() {
      return event != null;
    }
  }

  /** This contract as a {@link RecordParser}, for {@link ParseRecords}: a rejection is thrown, not returned. */
  public RecordParser<ClickEvent> asRecordParser() {
    return new Contract(this);
  }

  private record Contract(ClickEventParser parser) implements RecordParser<ClickEvent> {
    @Override
    public ClickEvent parse(String payload) throws InvalidRecordException {
      Outcome outcome = parser.parse(payload);
      if (outcome.event() == null) {
        throw new InvalidRecordException(outcome.rejection());
      }
      return outcome.event();
    }

    @Override
    public org.joda.time.Instant eventTimeOf(ClickEvent event) {
      return event.getEventTime();
    }
  }

  public Outcome parse(String payload) {
    try {
      return Outcome.ok(toEvent(JsonRecords.objectOf(payload, maxRecordBytes)));
    } catch (InvalidRecordException e) {
      return new Outcome(null, e.rejection());
    }
  }

  private static ClickEvent toEvent(JsonNode root) throws InvalidRecordException {
    String eventId = requiredString(root, "event_id");
    String eventTimeText = requiredString(root, "event_time");
    String userId = requiredString(root, "user_id");
    String page = requiredString(root, "page");
    String actionText = requiredString(root, "action");
    Action action =
        Action.fromWireName(actionText)
            .orElseThrow(
                () ->
                    invalid(
                        Rejection.UNKNOWN_ACTION,
                        "field 'action' must be one of view, click, add_to_cart, purchase, but was '"
                            + abbreviate(actionText)
                            + "'"));
    Double amount = null;
    // The contract ignores amount unless the action is a purchase.
    if (action == Action.PURCHASE) {
      amount = purchaseAmount(root);
    }
    return ClickEvent.builder()
        .setEventId(eventId)
        .setEventTime(EventTimes.parse("event_time", eventTimeText))
        .setUserId(userId)
        .setPage(page)
        .setAction(action.wireName())
        .setAmount(amount)
        .setSessionId(optionalString(root, "session_id"))
        .setCountry(optionalString(root, "country"))
        .setUserAgent(optionalString(root, "user_agent"))
        .setReferrer(optionalString(root, "referrer"))
        .build();
  }

  private static double purchaseAmount(JsonNode root) throws InvalidRecordException {
    JsonNode node = root.get("amount");
    if (node == null || node.isNull()) {
      throw invalid(Rejection.MISSING_AMOUNT, "a purchase must have a numeric 'amount'");
    }
    if (!node.isNumber()) {
      throw invalid(
          Rejection.WRONG_TYPE, "field 'amount' must be a number, but was " + describe(node));
    }
    double amount = node.doubleValue();
    if (!Double.isFinite(amount)) {
      throw invalid(Rejection.WRONG_TYPE, "field 'amount' is out of range: " + node.asText());
    }
    if (node.decimalValue().signum() < 0) {
      throw invalid(Rejection.NEGATIVE_AMOUNT, "field 'amount' must be >= 0, but was " + amount);
    }
    // Canonical decimal text of the JSON number (e.g. 19.99), so later sums stay exact.
    return node.decimalValue().doubleValue();
  }


}
