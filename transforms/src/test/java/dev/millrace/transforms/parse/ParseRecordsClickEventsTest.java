package dev.millrace.transforms.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.ClickEvent;
import dev.millrace.model.RawRecord;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.testing.CollectBadRecords;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeamPipelineExtension.class)
class ParseRecordsClickEventsTest {
  static final String VIEW =
      "{\"event_id\":\"e1\",\"event_time\":\"2026-11-27T10:00:05Z\",\"user_id\":\"u1\","
          + "\"page\":\"/home\",\"action\":\"view\"}";
  static final String BAD_ACTION =
      "{\"event_id\":\"e2\",\"event_time\":\"2026-11-27T10:00:05Z\",\"user_id\":\"u1\","
          + "\"page\":\"/home\",\"action\":\"hover\"}";

  /** "reason|source|payload|message" of a bad record, decoded from its encoded RawRecord. */
  static String describe(BadRecord bad) throws Exception {
    RawRecord raw =
        CoderUtils.decodeFromByteArray(RawRecord.RawRecordCoder.of(), bad.getRecord().getEncodedRecord());
    return bad.getFailure().getDescription()
        + "|" + raw.source()
        + "|" + raw.payload()
        + "|" + bad.getFailure().getException();
  }

  static class DescribeFn extends DoFn<BadRecord, String> {
    @ProcessElement
    public void process(@Element BadRecord bad, OutputReceiver<String> out) throws Exception {
      out.output(describe(bad));
    }
  }

  @Test
  void routesValidEventsOutAndInvalidOnesToTheHandlerWithPayloadAndSource(TestPipeline p)
      throws Exception {
    BadRecordErrorHandler<PCollection<BadRecord>> errors =
        p.registerBadRecordErrorHandler(CollectBadRecords.create());
    PCollection<ClickEvent> events =
        p.apply(
                Create.of(
                    RawRecord.of(VIEW, "in.jsonl:1"),
                    RawRecord.of(BAD_ACTION, "in.jsonl:2"),
                    RawRecord.of("", "in.jsonl:3")))
            .apply("ParseEvents", ParseRecords.clickEvents(ParseRecords.DEFAULT_MAX_RECORD_BYTES).withBadRecordErrorHandler(errors));
    errors.close();

    PAssert.that(events.apply(MapElements.into(TypeDescriptors.strings()).via(ClickEvent::getEventId)))
        .containsInAnyOrder("e1");
    PAssert.that(errors.getOutput().apply(ParDo.of(new DescribeFn())))
        .containsInAnyOrder(
            "unknown_action|in.jsonl:2|" + BAD_ACTION
                + "|field 'action' must be one of view, click, add_to_cart, purchase, but was 'hover'",
            "empty_record|in.jsonl:3||the record is empty");
    p.run().waitUntilFinish();
  }

  @Test
  void stampsEachEventWithItsEventTime(TestPipeline p) {
    BadRecordErrorHandler<PCollection<BadRecord>> errors =
        p.registerBadRecordErrorHandler(CollectBadRecords.create());
    PCollection<ClickEvent> events =
        p.apply(Create.of(RawRecord.of(VIEW, "x:1")))
            .apply("ParseEvents", ParseRecords.clickEvents(ParseRecords.DEFAULT_MAX_RECORD_BYTES).withBadRecordErrorHandler(errors));
    errors.close();
    PAssert.that(events.apply(ParDo.of(new TimestampFn())))
        .containsInAnyOrder(Instant.parse("2026-11-27T10:00:05Z").getMillis());
    PAssert.that(errors.getOutput()).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void keepsOnlyTheFieldsReadAfterItAndTheEventTimeOfTheWholeRecord(TestPipeline p) {
    String full = "{\"event_id\":\"e3\",\"event_time\":\"2026-11-27T10:00:07Z\",\"user_id\":\"u2\","
        + "\"page\":\"/cart\",\"action\":\"view\",\"session_id\":\"s9\",\"country\":\"DE\","
        + "\"user_agent\":\"Mozilla/5.0\",\"referrer\":\"https://example.com/\"}";
    BadRecordErrorHandler<PCollection<BadRecord>> errors =
        p.registerBadRecordErrorHandler(CollectBadRecords.create());
    PCollection<ClickEvent> events =
        p.apply(Create.of(RawRecord.of(full, "x:1")))
            .apply("ParseEvents", ParseRecords.clickEvents(ParseRecords.DEFAULT_MAX_RECORD_BYTES)
                .keepingOnly(dev.millrace.transforms.aggregate.KeepFieldsRead.of(ClickEvent.class,
                    e -> e.toBuilder().setUserAgent(null).setReferrer(null).build()))
                .withBadRecordErrorHandler(errors));
    errors.close();
    PAssert.that(events.apply(MapElements.into(TypeDescriptors.strings())
            .via(e -> e.getEventId() + " " + e.getPage() + " " + e.getSessionId() + " " + e.getCountry()
                + " " + e.getUserAgent() + " " + e.getReferrer())))
        .containsInAnyOrder("e3 /cart s9 DE null null");
    PAssert.that(events.apply(ParDo.of(new TimestampFn())))
        .containsInAnyOrder(Instant.parse("2026-11-27T10:00:07Z").getMillis());
    PAssert.that(errors.getOutput()).empty();
    p.run().waitUntilFinish();
  }

  static class TimestampFn extends DoFn<ClickEvent, Long> {
    @ProcessElement
    public void process(@Timestamp Instant ts, OutputReceiver<Long> out) {
      out.output(ts.getMillis());
    }
  }

  @Test
  void refusesToExpandWithoutAnErrorHandler(TestPipeline p) {
    p.enableAbandonedNodeEnforcement(false);
    List<String> messages = new ArrayList<>();
    try {
      p.apply(Create.of(RawRecord.of(VIEW, "x:1"))).apply(ParseRecords.clickEvents(ParseRecords.DEFAULT_MAX_RECORD_BYTES));
    } catch (IllegalArgumentException e) {
      messages.add(e.getMessage());
    }
    assertThat(messages).singleElement().asString().contains("withBadRecordErrorHandler");
  }
}
