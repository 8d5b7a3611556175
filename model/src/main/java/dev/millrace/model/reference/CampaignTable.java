package dev.millrace.model.reference;

import java.util.Collection;
import org.joda.time.Instant;

/** One version of the campaigns table, by {@code campaign_id}. */
public final class CampaignTable extends ReferenceTable<Campaign> {
  private static final ReferenceTableCoder<Campaign, CampaignTable> CODER = ReferenceTableCoder.of(
      StringRowCoder.of(f -> new Campaign(f[0], f[1], f[2]),
          Campaign::campaignId, Campaign::advertiser, Campaign::channel),
      CampaignTable::of);

  private CampaignTable(Collection<Campaign> rows, String source, Instant loadedAt) {
    super(rows, Campaign::campaignId, "campaign_id", source, loadedAt);
  }

  /** A table of the given campaigns; a repeated {@code campaign_id} is an error. */
  public static CampaignTable of(Collection<Campaign> rows, String source, Instant loadedAt) {
    return new CampaignTable(rows, source, loadedAt);
  }

  public static ReferenceTableCoder<Campaign, CampaignTable> coder() {
    return CODER;
  }
}
