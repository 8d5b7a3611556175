package dev.millrace.transforms.campaign;

import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;

/** A click attributed to its impression: the click and the impression's campaign. */
public record AttributedClick(AdClick click, String campaignId) implements Serializable {

  /** Event time, then click id: the later of two is the last click (ties go to the larger id). */
  public static final Comparator<AttributedClick> LATEST_LAST =
      Comparator.comparing((AttributedClick a) -> a.click().eventTime()).thenComparing(a -> a.click().clickId());

  public AttributedClick {
    Objects.requireNonNull(click, "click");
    Objects.requireNonNull(campaignId, "campaignId");
  }
}
