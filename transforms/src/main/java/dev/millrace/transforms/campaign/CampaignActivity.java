package dev.millrace.transforms.campaign;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * What one event adds to its campaign's window: an impression (and its cost), an attributed click,
 * or an attributed conversion (and its value). {@code userId} is whose audience segment it counts in.
 */
public record CampaignActivity(
    String campaignId, String userId, long impressions, long costMicros, long clicks, long conversions,
    BigDecimal revenue)
    implements Serializable {

  public static CampaignActivity of(Impression impression) {
    return new CampaignActivity(impression.campaignId(), impression.userId(), 1, impression.costMicros(), 0, 0,
        BigDecimal.ZERO);
  }

  public static CampaignActivity of(AttributedClick click) {
    return new CampaignActivity(click.campaignId(), click.click().userId(), 0, 0, 1, 0, BigDecimal.ZERO);
  }

  public static CampaignActivity of(Conversion conversion, String campaignId) {
    return new CampaignActivity(campaignId, conversion.userId(), 0, 0, 0, 1, conversion.orderValue());
  }
}
