package dev.millrace.io.synthetic;

import dev.millrace.model.RawRecord;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * One of the three synthetic ad-event streams (see {@link AdEventsGenerator}) as raw JSON records:
 * bounded with {@code maxEvents > 0} positions (impressions), else unbounded at the rate. The three
 * reads of one config are consistent (the same impressions, clicks and conversions).
 *
 * <pre>{@code
 * PCollection<RawRecord> clicks = p.apply("GenerateClicks",
 *     SyntheticAdEventsIO.read(SyntheticAdEventsConfig.defaults(), 72_000, AdEventsGenerator.CLICKS));
 * }</pre>
 */
public final class SyntheticAdEventsIO extends PTransform<PBegin, PCollection<RawRecord>> {
  private final SyntheticAdEventsConfig config;
  private final long maxEvents;
  private final String stream;

  private SyntheticAdEventsIO(SyntheticAdEventsConfig config, long maxEvents, String stream) {
    this.config = config;
    this.maxEvents = maxEvents;
    this.stream = stream;
  }

  /** Positions {@code 0 .. maxEvents-1} (0 means unbounded) of {@code stream}: impressions, clicks or conversions. */
  public static SyntheticAdEventsIO read(SyntheticAdEventsConfig config, long maxEvents, String stream) {
    if (!AdEventsGenerator.IMPRESSIONS.equals(stream) && !AdEventsGenerator.CLICKS.equals(stream)
        && !AdEventsGenerator.CONVERSIONS.equals(stream)) {
      throw new IllegalArgumentException("stream must be impressions, clicks or conversions, but was: " + stream);
    }
    return new SyntheticAdEventsIO(config, SyntheticReads.checkMaxEvents(maxEvents), stream);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    return SyntheticReads.expand(input, new AdEventsGenerator(config).stream(stream), config.eventsPerSecond(),
        maxEvents, "Generate");
  }
}
