package dev.millrace.transforms.fraud;

import com.google.auto.value.AutoValue;
import java.util.List;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/** One flagged transaction: the {@code alerts} dataset, one row per transaction (never per pane). */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class FraudAlert {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  @SchemaFieldNumber("0")
  @SchemaFieldName("txn_id")
  public abstract String getTxnId();

  @SchemaFieldNumber("1")
  @SchemaFieldName("event_time")
  public abstract Instant getEventTime();

  @SchemaFieldNumber("2")
  @SchemaFieldName("account_id")
  public abstract String getAccountId();

  @SchemaFieldNumber("3")
  @SchemaFieldName("card_id")
  public abstract String getCardId();

  @SchemaFieldNumber("4")
  @SchemaFieldName("amount")
  public abstract double getAmount();

  @SchemaFieldNumber("5")
  @SchemaFieldName("country")
  public abstract String getCountry();

  @SchemaFieldNumber("6")
  @SchemaFieldName("channel")
  public abstract String getChannel();

  /** Reason codes, sorted. */
  @SchemaFieldNumber("7")
  @SchemaFieldName("reasons")
  public abstract List<String> getReasons();

  /** The account's risk tier; null when the account is unknown. */
  @SchemaFieldNumber("8")
  @SchemaFieldName("risk_tier")
  public abstract @Nullable String getRiskTier();

  /** When the rules flagged it (processing time). */
  @SchemaFieldNumber("9")
  @SchemaFieldName("detected_at")
  public abstract Instant getDetectedAt();

  public static FraudAlert of(ScoredTransaction scored, Instant detectedAt) {
    var t = scored.transaction();
    return new AutoValue_FraudAlert(t.txnId(), t.eventTime(), t.accountId(), t.cardId(), t.amount(), t.country(),
        t.channel(), scored.reasons(), scored.riskTier(), detectedAt);
  }

  /** The alert as one JSON object (for a Kinesis stream). */
  public String toJson() {
    com.fasterxml.jackson.databind.node.ObjectNode node = JSON.createObjectNode();
    node.put("txn_id", getTxnId());
    node.put("event_time", getEventTime().toString());
    node.put("account_id", getAccountId());
    node.put("card_id", getCardId());
    node.put("amount", getAmount());
    node.put("country", getCountry());
    node.put("channel", getChannel());
    com.fasterxml.jackson.databind.node.ArrayNode reasons = node.putArray("reasons");
    getReasons().forEach(reasons::add);
    node.put("risk_tier", getRiskTier());
    node.put("detected_at", getDetectedAt().toString());
    return node.toString();
  }
}
