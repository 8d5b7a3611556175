package dev.millrace.transforms.campaign;

import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;
import org.joda.time.Instant;

/** One click on an ad, as the click record contract defines it. */
public record AdClick(String clickId, Instant eventTime, String impressionId, String userId)
    implements Serializable {

  /** Event time, then click id: which of two clicks is the earlier (ties broken by the smaller id). */
  public static final Comparator<AdClick> EARLIEST_FIRST =
      Comparator.comparing(AdClick::eventTime).thenComparing(AdClick::clickId);

  public AdClick {
    Objects.requireNonNull(clickId, "clickId");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(impressionId, "impressionId");
    Objects.requireNonNull(userId, "userId");
  }
}
