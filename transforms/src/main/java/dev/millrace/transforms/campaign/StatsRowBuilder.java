package dev.millrace.transforms.campaign;

import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The columns {@link CampaignStats} and {@link AudienceStats} rows share (all but the segment), so
 * that one step fills either from a window's {@link CampaignTotals}. Each row type keeps its own
 * schema (field names and numbers); this is only what their builders have in common.
 */
public interface StatsRowBuilder<B extends StatsRowBuilder<B, R>, R> {
  B setCampaignId(String v);

  B setWindowStart(Instant v);

  B setWindowEnd(Instant v);

  B setImpressions(long v);

  B setSpend(double v);

  B setClicks(long v);

  B setConversions(long v);

  B setRevenue(double v);

  B setCtr(@Nullable Double v);

  B setCvr(@Nullable Double v);

  B setRoas(@Nullable Double v);

  B setAdvertiser(@Nullable String v);

  B setPaneIndex(long v);

  B setPaneTiming(String v);

  R build();
}
