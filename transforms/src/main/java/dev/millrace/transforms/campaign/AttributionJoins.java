package dev.millrace.transforms.campaign;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.join.UnionCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * What the attribution joins ({@link AttributeClicks}, {@link AttributeConversions}, {@link
 * AttributeOnWatermarkTicks}) share: their two inputs as one keyed stream and their option checks.
 * (Their DoFns emit rows at their own event times: {@code EmitsAtEventTimeFn}.)
 *
 * <p>Helpers applied inside each join's own expand rather than composites of their own, so that the
 * steps keep the names (and a running job's state its place) they had.
 */
final class AttributionJoins {
  /** The union tag of {@link #union}'s first side. */
  static final int FIRST = 0;
  /** The union tag of {@link #union}'s second side. */
  static final int SECOND = 1;

  private AttributionJoins() {}

  /** One input of a join: its records, how to key each by what joins it, its coder, its keying step's name. */
  record Side<T>(String stepName, PCollection<T> records, SerializableFunction<T, String> key, Coder<T> coder) {}

  /**
   * Both sides as one collection: each record keyed by what joins it, its value a {@link RawUnionValue}
   * tagged {@link #FIRST} or {@link #SECOND} with its side.
   */
  static <A, B> PCollection<KV<String, RawUnionValue>> union(Side<A> first, Side<B> second, String flattenName) {
    KvCoder<String, RawUnionValue> coder =
        KvCoder.of(StringUtf8Coder.of(), UnionCoder.of(List.of(first.coder(), second.coder())));
    return PCollectionList.of(keyed(first, FIRST, coder)).and(keyed(second, SECOND, coder))
        .apply(flattenName, Flatten.pCollections());
  }

  private static <T> PCollection<KV<String, RawUnionValue>> keyed(Side<T> side, int tag,
      KvCoder<String, RawUnionValue> coder) {
    TypeDescriptor<KV<String, RawUnionValue>> type =
        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(RawUnionValue.class));
    SerializableFunction<T, String> key = side.key();
    return side.records()
        .apply(side.stepName(), MapElements.into(type).via((T record) -> KV.of(key.apply(record),
            new RawUnionValue(tag, record))))
        .setCoder(coder);
  }

  static boolean bounded(PCollection<?> records) {
    return records.isBounded() == PCollection.IsBounded.BOUNDED;
  }

  /** {@code duration}, checked: a window or a lateness is zero or positive. */
  static Duration zeroOrPositive(String name, @Nullable Duration duration) {
    checkArgument(duration != null && !duration.isShorterThan(Duration.ZERO),
        "%s must be zero or positive, but was: %s", name, duration);
    return duration;
  }
}
