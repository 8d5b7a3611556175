package dev.millrace.transforms.dedup;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.millrace.transforms.metrics.Accounting;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Drops every element whose id was already seen within a horizon of event time; the first
 * occurrence to arrive wins. Works in batch and streaming: per-id state is cleared by an event-time
 * timer once the watermark passes the first occurrence's timestamp plus the horizon, so memory is
 * bounded by the ids seen within one horizon. Apply it before windowing (state is per window).
 *
 * <pre>{@code
 * PCollection<ClickEvent> unique =
 *     events.apply("DeduplicateEvents",
 *         DeduplicateById.of(ClickEvent::getEventId).withHorizon(Duration.standardMinutes(10)));
 * }</pre>
 */
public final class DeduplicateById<T> extends PTransform<PCollection<T>, PCollection<T>> {
  public static final Duration DEFAULT_HORIZON = Duration.standardMinutes(10);

  private final SerializableFunction<T, String> idFn;
  private final Duration horizon;

  private DeduplicateById(SerializableFunction<T, String> idFn, Duration horizon) {
    this.idFn = idFn;
    this.horizon = horizon;
  }

  /** De-duplicates by the id {@code idFn} extracts, within {@link #DEFAULT_HORIZON}. */
  public static <T> DeduplicateById<T> of(SerializableFunction<T, String> idFn) {
    checkArgument(idFn != null, "idFn must not be null");
    return new DeduplicateById<>(idFn, DEFAULT_HORIZON);
  }

  /** How long, in event time after an id's first occurrence, later copies count as duplicates. */
  public DeduplicateById<T> withHorizon(Duration horizon) {
    checkArgument(
        horizon != null && horizon.isLongerThan(Duration.ZERO),
        "horizon must be a positive duration, but was: %s",
        horizon);
    return new DeduplicateById<>(idFn, horizon);
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    Coder<T> coder = input.getCoder();
    return input
        .apply("KeyById", WithKeys.of(idFn).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), coder))
        .apply("DropDuplicates", ParDo.of(new FirstOccurrenceFn<T>(horizon)))
        .setCoder(coder);
  }

  static final class FirstOccurrenceFn<T> extends DoFn<KV<String, T>, T> {
    private final Duration horizon;
    private final Counter duplicates = Accounting.counter(Accounting.DUPLICATES_DROPPED);
    private final Counter unique = Accounting.counter(Accounting.UNIQUE_RECORDS);

    @StateId("seen")
    private final StateSpec<ValueState<Boolean>> seenSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("expiry")
    private final TimerSpec expirySpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    FirstOccurrenceFn(Duration horizon) {
      this.horizon = horizon;
    }

    @ProcessElement
    public void process(
        @Element KV<String, T> element,
        @Timestamp Instant timestamp,
        BoundedWindow window,
        @StateId("seen") ValueState<Boolean> seen,
        @TimerId("expiry") Timer expiry,
        OutputReceiver<T> out) {
      if (seen.read() != null) {
        duplicates.inc();
        return;
      }
      seen.write(true);
      Instant expiresAt = timestamp.plus(horizon);
      if (expiresAt.isAfter(window.maxTimestamp())) {
        expiresAt = window.maxTimestamp();
      }
      // No output timestamp: the timer only clears state, so it must not hold the watermark back
      // (a hold would delay every downstream window by the horizon).
      expiry.withNoOutputTimestamp().set(expiresAt);
      unique.inc();
      out.output(element.getValue());
    }

    @OnTimer("expiry")
    public void onExpiry(@StateId("seen") ValueState<Boolean> seen) {
      seen.clear();
    }
  }
}
