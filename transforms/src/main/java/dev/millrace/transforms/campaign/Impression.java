package dev.millrace.transforms.campaign;

import java.io.Serializable;
import java.util.Objects;
import org.joda.time.Instant;

/** One ad impression, as the impression record contract defines it; {@code costMicros >= 0}. */
public record Impression(
    String impressionId, Instant eventTime, String campaignId, String userId, String placement, long costMicros)
    implements Serializable {

  public Impression {
    Objects.requireNonNull(impressionId, "impressionId");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(campaignId, "campaignId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(placement, "placement");
  }
}
