package dev.millrace.testing;

import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A bad-record sink for tests: its output is every bad record, to assert on with {@code PAssert}.
 *
 * <pre>{@code
 * ErrorHandler.BadRecordErrorHandler<PCollection<BadRecord>> errors =
 *     p.registerBadRecordErrorHandler(CollectBadRecords.create());
 * ... errors.close(); PAssert.that(errors.getOutput())...
 * }</pre>
 */
public final class CollectBadRecords
    extends PTransform<PCollection<BadRecord>, PCollection<BadRecord>> {

  public static CollectBadRecords create() {
    return new CollectBadRecords();
  }

  @Override
  public PCollection<BadRecord> expand(PCollection<BadRecord> badRecords) {
    return badRecords
        .apply("Collect", MapElements.into(TypeDescriptor.of(BadRecord.class)).via(r -> r))
        .setCoder(badRecords.getCoder());
  }
}
