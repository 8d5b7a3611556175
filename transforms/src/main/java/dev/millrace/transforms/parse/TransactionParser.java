package dev.millrace.transforms.parse;

import static dev.millrace.transforms.parse.JsonRecords.abbreviate;
import static dev.millrace.transforms.parse.JsonRecords.describe;
import static dev.millrace.transforms.parse.JsonRecords.invalid;
import static dev.millrace.transforms.parse.JsonRecords.requiredString;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.model.Transaction;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.joda.time.Instant;

/**
 * The transaction record contract: required {@code txn_id}, {@code event_time} (ISO-8601),
 * {@code account_id}, {@code card_id}, {@code merchant_id} (non-empty strings), {@code mcc} (4
 * digits), {@code amount} (a number > 0), {@code currency} (3 letters), {@code country} (2
 * letters) and {@code channel} ({@code pos}, {@code ecom} or {@code atm}); unknown fields ignored.
 * Pure and thread-safe; bad input is an {@link InvalidRecordException}, never another exception.
 */
public final class TransactionParser implements RecordParser<Transaction> {
  private static final Pattern MCC = Pattern.compile("[0-9]{4}");
  private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");
  private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}");
  private static final Set<String> CHANNELS = Set.of(Transaction.POS, Transaction.ECOM, Transaction.ATM);

  private final int maxRecordBytes;

  public TransactionParser(int maxRecordBytes) {
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public Transaction parse(String payload) throws InvalidRecordException {
    JsonNode root = JsonRecords.objectOf(payload, maxRecordBytes);
    String txnId = requiredString(root, "txn_id");
    Instant eventTime = EventTimes.parse("event_time", requiredString(root, "event_time"));
    String accountId = requiredString(root, "account_id");
    String cardId = requiredString(root, "card_id");
    String merchantId = requiredString(root, "merchant_id");
    String mcc = matching(root, "mcc", MCC, "4 digits (5411)");
    double amount = amount(root);
    String currency = matching(root, "currency", CURRENCY, "3 letters (EUR)").toUpperCase(Locale.ROOT);
    String country = matching(root, "country", COUNTRY, "2 letters (DE)").toUpperCase(Locale.ROOT);
    String channel = requiredString(root, "channel");
    if (!CHANNELS.contains(channel)) {
      throw invalid(Rejection.INVALID_VALUE,
          "field 'channel' must be one of pos, ecom, atm, but was '" + abbreviate(channel) + "'");
    }
    return new Transaction(txnId, eventTime, accountId, cardId, merchantId, mcc, amount, currency, country, channel);
  }

  @Override
  public Instant eventTimeOf(Transaction transaction) {
    return transaction.eventTime();
  }

  private static String matching(JsonNode root, String field, Pattern pattern, String expected)
      throws InvalidRecordException {
    String value = requiredString(root, field);
    if (!pattern.matcher(value).matches()) {
      throw invalid(Rejection.INVALID_VALUE,
          "field '" + field + "' must be " + expected + ", but was '" + abbreviate(value) + "'");
    }
    return value;
  }

  private static double amount(JsonNode root) throws InvalidRecordException {
    JsonNode node = root.get("amount");
    if (node == null) {
      throw invalid(Rejection.MISSING_FIELD, "required field 'amount' is missing");
    }
    if (node.isNull()) {
      throw invalid(Rejection.NULL_FIELD, "required field 'amount' is null");
    }
    if (!node.isNumber()) {
      throw invalid(Rejection.WRONG_TYPE, "field 'amount' must be a number, but was " + describe(node));
    }
    double amount = node.doubleValue();
    if (!Double.isFinite(amount)) {
      // Checked before decimalValue(), which throws on an infinite double.
      throw invalid(Rejection.WRONG_TYPE, "field 'amount' is out of range: " + abbreviate(node.asText()));
    }
    BigDecimal exact = node.decimalValue();
    if (exact.signum() <= 0) {
      throw invalid(Rejection.NON_POSITIVE_AMOUNT, "field 'amount' must be > 0, but was " + abbreviate(node.asText()));
    }
    return amount;
  }
}
