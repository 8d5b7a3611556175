package dev.millrace.model.reference;

import java.io.Serializable;
import java.util.Objects;

/** One row of the campaigns table. */
public record Campaign(String campaignId, String advertiser, String channel) implements Serializable {
  public Campaign {
    Objects.requireNonNull(campaignId, "campaignId");
    Objects.requireNonNull(advertiser, "advertiser");
    Objects.requireNonNull(channel, "channel");
  }
}
