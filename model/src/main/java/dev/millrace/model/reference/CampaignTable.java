package dev.millrace.model.reference;

import dev.millrace.model.reference.ReferenceTable;
import dev.millrace.model.reference.ReferenceTableCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.joda.time.Instant;

/** One version of the campaigns table, by {@code campaign_id}. */
public final class CampaignTable extends ReferenceTable<Campaign> {
  private static final ReferenceTableCoder<Campaign, CampaignTable> CODER =
      ReferenceTableCoder.of(new RowCoder(), CampaignTable::of);

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

  static final class RowCoder extends AtomicCoder<Campaign> {
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

    @Override
    public void encode(Campaign c, OutputStream out) throws IOException {
      STRING.encode(c.campaignId(), out);
      STRING.encode(c.advertiser(), out);
      STRING.encode(c.channel(), out);
    }

    @Override
    public Campaign decode(InputStream in) throws IOException {
      return new Campaign(STRING.decode(in), STRING.decode(in), STRING.decode(in));
    }
  }
}
