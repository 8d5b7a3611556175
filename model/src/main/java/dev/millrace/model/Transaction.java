package dev.millrace.model;

import java.io.Serializable;
import java.util.Objects;
import org.joda.time.Instant;

/**
 * One card transaction, as the transaction record contract defines it. {@code currency} and {@code
 * country} are upper case; {@code channel} is {@code pos}, {@code ecom} or {@code atm}.
 */
public record Transaction(
    String txnId,
    Instant eventTime,
    String accountId,
    String cardId,
    String merchantId,
    String mcc,
    double amount,
    String currency,
    String country,
    String channel)
    implements Serializable {

  public static final String POS = "pos";
  public static final String ECOM = "ecom";
  public static final String ATM = "atm";

  public Transaction {
    Objects.requireNonNull(txnId, "txnId");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(cardId, "cardId");
    Objects.requireNonNull(merchantId, "merchantId");
    Objects.requireNonNull(mcc, "mcc");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(country, "country");
    Objects.requireNonNull(channel, "channel");
  }
}
