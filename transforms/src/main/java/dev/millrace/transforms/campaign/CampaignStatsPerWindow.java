package dev.millrace.transforms.campaign;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.model.DecimalCoder;
import dev.millrace.model.reference.Campaign;
import dev.millrace.model.reference.CampaignTable;
import dev.millrace.model.reference.Customer;
import dev.millrace.model.reference.CustomerTable;
import dev.millrace.model.reference.ReferenceTable;
import dev.millrace.transforms.aggregate.PreCombinePerKey;
import dev.millrace.transforms.reference.NewestTablePerBundle;
import dev.millrace.transforms.window.Windowing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Per fixed event-time window: each campaign's impressions and spend, attributed clicks, attributed
 * conversions and revenue, and the ratios ({@link #CAMPAIGN_STATS}); the same per campaign and
 * audience segment ({@link #AUDIENCE_STATS}, the segment from the customers table, {@code unknown}
 * for a user not in it). One row per key and window with any activity, in Millrace's usual panes.
 * Each activity counts in the window of its own event time (its element timestamp).
 */
public final class CampaignStatsPerWindow extends PTransform<PCollection<CampaignActivity>, PCollectionTuple> {
  public static final TupleTag<CampaignStats> CAMPAIGN_STATS = new TupleTag<>() {};
  public static final TupleTag<AudienceStats> AUDIENCE_STATS = new TupleTag<>() {};
  public static final String UNKNOWN_SEGMENT = "unknown";

  private final Windowing windowing;
  private final PCollectionView<Iterable<CampaignTable>> campaigns;
  private final PCollectionView<Iterable<CustomerTable>> customers;

  private CampaignStatsPerWindow(Windowing windowing, PCollectionView<Iterable<CampaignTable>> campaigns,
      PCollectionView<Iterable<CustomerTable>> customers) {
    this.windowing = windowing;
    this.campaigns = campaigns;
    this.customers = customers;
  }

  /** Per window of {@code windowing} (fixed); advertisers from {@code campaigns}, segments from {@code customers}. */
  public static CampaignStatsPerWindow of(Windowing windowing, PCollectionView<Iterable<CampaignTable>> campaigns,
      PCollectionView<Iterable<CustomerTable>> customers) {
    checkArgument(campaigns != null && customers != null, "campaigns and customers must not be null");
    return new CampaignStatsPerWindow(
        Windowing.requireKind(Windowing.Kind.FIXED, windowing, "campaign statistics"), campaigns, customers);
  }

  @Override
  public PCollectionTuple expand(PCollection<CampaignActivity> activity) {
    KvCoder<String, CampaignActivity> keyed = KvCoder.of(StringUtf8Coder.of(), ActivityCoder.INSTANCE);
    KvCoder<KV<String, String>, CampaignActivity> keyedBySegment =
        KvCoder.of(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()), ActivityCoder.INSTANCE);
    PCollection<CampaignActivity> windowed =
        activity
            .apply("WindowIntoFixedWindows", windowing.<CampaignActivity>into());
    PCollection<KV<KV<String, String>, CampaignTotals>> segmentTotals =
        PreCombinePerKey.apply(
            windowed
                .apply("KeyByCampaignAndSegment", ParDo.of(new KeyBySegmentFn(customers)).withSideInputs(customers))
                .setCoder(keyedBySegment),
            "SumPerSegment", new CampaignTotals.SumFn());
    PCollection<KV<String, CampaignTotals>> campaignTotals;
    if (activity.isBounded() == PCollection.IsBounded.BOUNDED && windowing.earlyFiringInterval() == null) {
      // A bounded input without early panes fires each window once, so a campaign's totals are its
      // segments' totals summed, and the activity is grouped once rather than twice. On embedded Flink,
      // 1M impressions: 24.0-31.1 s -> 22.7-26.2 s (each consumer of a step decodes every record).
      campaignTotals =
          PreCombinePerKey.apply(
              segmentTotals.apply("KeySegmentTotalsByCampaign", ParDo.of(new KeySegmentTotalsByCampaignFn()))
                  .setCoder(KvCoder.of(StringUtf8Coder.of(), CampaignTotals.TotalsCoder.of())),
              "SumSegmentsPerCampaign", new CampaignTotals.SumTotalsFn());
    } else {
      // A stream's panes accumulate (early and late firings): summed again they would count twice.
      campaignTotals =
          PreCombinePerKey.apply(
              windowed.apply("KeyByCampaign", ParDo.of(new KeyByCampaignFn())).setCoder(keyed),
              "SumPerCampaign", new CampaignTotals.SumFn());
    }
    PCollection<CampaignStats> perCampaign =
        campaignTotals
            .apply("ToCampaignStatsRows", ParDo.of(new StatsRowFn<String, CampaignStats.Builder, CampaignStats>(
                    campaigns, campaignId -> campaignId, campaignId -> CampaignStats.builder()))
                .withSideInputs(campaigns));
    PCollection<AudienceStats> perSegment =
        segmentTotals
            .apply("ToAudienceStatsRows", ParDo.of(new StatsRowFn<KV<String, String>, AudienceStats.Builder, AudienceStats>(
                    campaigns, KV::getKey, campaignAndSegment -> AudienceStats.builder()
                        .setSegment(campaignAndSegment.getValue())))
                .withSideInputs(campaigns));
    perCampaign.setCoder(AdEventCoders.rowCoder(activity.getPipeline(), CampaignStats.class));
    perSegment.setCoder(AdEventCoders.rowCoder(activity.getPipeline(), AudienceStats.class));
    return PCollectionTuple.of(CAMPAIGN_STATS, perCampaign).and(AUDIENCE_STATS, perSegment);
  }

  static final class KeyByCampaignFn extends DoFn<CampaignActivity, KV<String, CampaignActivity>> {
    @ProcessElement
    public void process(@Element CampaignActivity a, OutputReceiver<KV<String, CampaignActivity>> out) {
      out.output(KV.of(a.campaignId(), a));
    }
  }

  /** A (campaign, segment)'s totals under its campaign. */
  static final class KeySegmentTotalsByCampaignFn
      extends DoFn<KV<KV<String, String>, CampaignTotals>, KV<String, CampaignTotals>> {
    @ProcessElement
    public void process(@Element KV<KV<String, String>, CampaignTotals> totals,
        OutputReceiver<KV<String, CampaignTotals>> out) {
      out.output(KV.of(totals.getKey().getKey(), totals.getValue()));
    }
  }

  static final class KeyBySegmentFn extends DoFn<CampaignActivity, KV<KV<String, String>, CampaignActivity>> {
    private final NewestTablePerBundle<CustomerTable> customers;

    KeyBySegmentFn(PCollectionView<Iterable<CustomerTable>> customers) {
      this.customers = NewestTablePerBundle.of(customers);
    }

    @StartBundle
    public void startBundle() {
      customers.startBundle();
    }

    @ProcessElement
    public void process(@Element CampaignActivity a, BoundedWindow window, ProcessContext context) {
      CustomerTable table = customers.in(context, window);
      Customer customer = table == null ? null : table.get(a.userId());
      String segment = customer == null ? UNKNOWN_SEGMENT : customer.segment();
      context.output(KV.of(KV.of(a.campaignId(), segment), a));
    }
  }

  static @Nullable String advertiser(Iterable<CampaignTable> tables, String campaignId) {
    CampaignTable table = ReferenceTable.newest(tables);
    Campaign campaign = table == null ? null : table.get(campaignId);
    return campaign == null ? null : campaign.advertiser();
  }

  /**
   * A window's totals for one key as one stats row: the key's own columns ({@code start}: a campaign
   * row, or a campaign and segment row), then the columns every stats row has.
   */
  static final class StatsRowFn<K, B extends StatsRowBuilder<B, R>, R> extends DoFn<KV<K, CampaignTotals>, R> {
    private final PCollectionView<Iterable<CampaignTable>> campaigns;
    private final SerializableFunction<K, String> campaignOf;
    private final SerializableFunction<K, B> start;

    StatsRowFn(PCollectionView<Iterable<CampaignTable>> campaigns, SerializableFunction<K, String> campaignOf,
        SerializableFunction<K, B> start) {
      this.campaigns = campaigns;
      this.campaignOf = campaignOf;
      this.start = start;
    }

    @ProcessElement
    public void process(ProcessContext context, BoundedWindow window, PaneInfo pane) {
      IntervalWindow interval = (IntervalWindow) window;
      K key = context.element().getKey();
      String campaignId = campaignOf.apply(key);
      CampaignTotals t = context.element().getValue();
      context.output(start.apply(key)
          .setCampaignId(campaignId)
          .setWindowStart(interval.start())
          .setWindowEnd(interval.end())
          .setImpressions(t.impressions())
          .setSpend(t.spend().doubleValue())
          .setClicks(t.clicks())
          .setConversions(t.conversions())
          .setRevenue(t.revenue().doubleValue())
          .setCtr(t.ctr())
          .setCvr(t.cvr())
          .setRoas(t.roas())
          .setAdvertiser(advertiser(context.sideInput(campaigns), campaignId))
          .setPaneIndex(pane.getIndex())
          .setPaneTiming(Windowing.timingOf(pane))
          .build());
    }
  }

  /** The activity coder: small, on the path of every impression. */
  public static final class ActivityCoder extends AtomicCoder<CampaignActivity> {
    static final ActivityCoder INSTANCE = new ActivityCoder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final VarLongCoder LONG = VarLongCoder.of();

    public static ActivityCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(CampaignActivity a, OutputStream out) throws IOException {
      STRING.encode(a.campaignId(), out);
      STRING.encode(a.userId(), out);
      LONG.encode(a.impressions(), out);
      LONG.encode(a.costMicros(), out);
      LONG.encode(a.clicks(), out);
      LONG.encode(a.conversions(), out);
      DecimalCoder.of().encode(a.revenue(), out);
    }

    @Override
    public CampaignActivity decode(InputStream in) throws IOException {
      return new CampaignActivity(STRING.decode(in), STRING.decode(in), LONG.decode(in), LONG.decode(in),
          LONG.decode(in), LONG.decode(in), DecimalCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
