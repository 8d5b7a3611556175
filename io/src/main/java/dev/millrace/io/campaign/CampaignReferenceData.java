package dev.millrace.io.campaign;

import dev.millrace.io.reference.ReferenceDataException;
import dev.millrace.io.reference.ReferenceDataIO;
import dev.millrace.io.reference.ReferenceFiles;
import dev.millrace.model.reference.Campaign;
import dev.millrace.model.reference.CampaignTable;
import dev.millrace.model.reference.Customer;
import dev.millrace.model.reference.CustomerTable;
import java.util.List;
import org.joda.time.Instant;

/**
 * campaign-analytics' two reference tables, JSON lines or Parquet on any Beam filesystem, all or
 * nothing as every reference table: campaigns ({@code campaign_id}, {@code advertiser} required,
 * {@code channel} optional) and customers ({@code user_id}, {@code segment} required, {@code
 * age_band}, {@code region} optional). A missing optional field is an empty string.
 */
public final class CampaignReferenceData {
  public static final String CAMPAIGNS = "campaigns";
  public static final String CUSTOMERS = "customers";

  private CampaignReferenceData() {}

  public static CampaignTable loadCampaigns(String filepattern) throws ReferenceDataException {
    List<Campaign> rows = ReferenceFiles.read(filepattern, "campaigns table", CampaignReferenceData::campaign,
        Campaign::campaignId);
    return CampaignTable.of(rows, filepattern, Instant.now());
  }

  public static CustomerTable loadCustomers(String filepattern) throws ReferenceDataException {
    List<Customer> rows = ReferenceFiles.read(filepattern, "customers table", CampaignReferenceData::customer,
        Customer::userId);
    return CustomerTable.of(rows, filepattern, Instant.now());
  }

  static Campaign campaign(ReferenceFiles.Fields fields) {
    return new Campaign(ReferenceFiles.text(fields, "campaign_id", true), ReferenceFiles.text(fields, "advertiser", true),
        optional(fields, "channel"));
  }

  static Customer customer(ReferenceFiles.Fields fields) {
    return new Customer(ReferenceFiles.text(fields, "user_id", true), optional(fields, "age_band"),
        optional(fields, "region"), ReferenceFiles.text(fields, "segment", true));
  }

  private static String optional(ReferenceFiles.Fields fields, String field) {
    String value = ReferenceFiles.text(fields, field, false);
    return value == null ? "" : value;
  }

  // Named methods, not CampaignTable::size and CustomerTable::size: both are ReferenceTable.size, and a
  // deserialized method reference can come back cast to the other table's type.
  static int campaignCount(CampaignTable table) {
    return table.size();
  }

  static int customerCount(CustomerTable table) {
    return table.size();
  }

  /** Read once (bounded) or, {@code withRefresh}, reloaded when the files change. */
  public static ReferenceDataIO<CampaignTable> campaigns(String filepattern) {
    return ReferenceDataIO.fromFiles(CAMPAIGNS, filepattern, CampaignReferenceData::loadCampaigns,
        CampaignReferenceData::campaignCount, CampaignTable.coder());
  }

  public static ReferenceDataIO<CustomerTable> customers(String filepattern) {
    return ReferenceDataIO.fromFiles(CUSTOMERS, filepattern, CampaignReferenceData::loadCustomers,
        CampaignReferenceData::customerCount, CustomerTable.coder());
  }

  /** Tables made in memory (the synthetic generator's). */
  public static ReferenceDataIO<CampaignTable> campaigns(ReferenceDataIO.Maker<CampaignTable> maker, String description) {
    return ReferenceDataIO.made(CAMPAIGNS, description, maker, CampaignReferenceData::campaignCount, CampaignTable.coder());
  }

  public static ReferenceDataIO<CustomerTable> customers(ReferenceDataIO.Maker<CustomerTable> maker, String description) {
    return ReferenceDataIO.made(CUSTOMERS, description, maker, CampaignReferenceData::customerCount, CustomerTable.coder());
  }
}
