package dev.millrace.model.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The campaigns and customers tables through their coders: every field back in its place, the bytes as before. */
class CampaignAndCustomerTablesCoderTest {
  static final Instant LOADED = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aCampaignTableRoundTripsFieldByField() throws Exception {
    CampaignTable table = CampaignTable.of(List.of(new Campaign("c1", "adv-1", "search"),
        new Campaign("c2", "adv-2", "video")), "campaigns.jsonl", LOADED);
    CampaignTable back = CoderUtils.clone(CampaignTable.coder(), table);
    assertThat(back.rows()).containsExactlyInAnyOrderElementsOf(table.rows());
    assertThat(back.get("c2")).isEqualTo(new Campaign("c2", "adv-2", "video"));
    assertThat(back.source()).isEqualTo("campaigns.jsonl");
    assertThat(back.loadedAt()).isEqualTo(LOADED);
  }

  @Test
  void aCustomerTableRoundTripsFieldByField() throws Exception {
    CustomerTable table = CustomerTable.of(List.of(new Customer("u1", "25-34", "north", "edge")), "synthetic", LOADED);
    CustomerTable back = CoderUtils.clone(CustomerTable.coder(), table);
    assertThat(back.get("u1")).isEqualTo(new Customer("u1", "25-34", "north", "edge"));
  }

  /** The wire format: source, load time, row count, then each row's strings in field order. */
  @Test
  void aCustomerTableIsWrittenAsItsStringsInFieldOrder() throws Exception {
    CustomerTable table = CustomerTable.of(List.of(new Customer("u1", "25-34", "north", "edge")), "s", LOADED);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    StringUtf8Coder.of().encode("s", expected);
    VarLongCoder.of().encode(LOADED.getMillis(), expected);
    VarIntCoder.of().encode(1, expected);
    for (String field : new String[] {"u1", "25-34", "north", "edge"}) {
      StringUtf8Coder.of().encode(field, expected);
    }
    assertThat(CoderUtils.encodeToByteArray(CustomerTable.coder(), table)).isEqualTo(expected.toByteArray());
  }
}
