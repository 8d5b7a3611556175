package dev.millrace.io.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.io.parquet.LocalParquetFiles;
import dev.millrace.model.RawRecord;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.transforms.parse.InvalidRecordException;
import dev.millrace.transforms.parse.Rejection;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(BeamPipelineExtension.class)
class DeadLetterIOTest {

  @Test
  void writesPayloadReasonMessageAndSourceUnmodified(TestPipeline p, @TempDir Path dir)
      throws Exception {
    String payload = "{\"event_id\": \"x\",  \"page\":\"/ü\"  "; // truncated, odd spacing kept
    BadRecord fromParser =
        BadRecord.fromExceptionInformation(
            RawRecord.of(payload, "in.jsonl:7"),
            RawRecord.RawRecordCoder.of(),
            new InvalidRecordException(new Rejection("malformed_json", "not valid JSON: eof")),
            "malformed_json");
    BadRecord fromElsewhere =
        BadRecord.fromExceptionInformation(
            "plain", StringUtf8Coder.of(), new IllegalStateException("boom"), "other_step");

    p.apply(Create.of(fromParser, fromElsewhere).withCoder(BadRecord.getCoder(p)))
        .apply(DeadLetterIO.write().to(dir.toString()));
    p.run().waitUntilFinish();

    List<String> rows =
        LocalParquetFiles.readAll(dir.resolve("dead_letter")).stream()
            .map(r -> r.get("payload") + "|" + r.get("error") + "|" + r.get("message") + "|" + r.get("source"))
            .sorted()
            .collect(Collectors.toList());
    assertThat(rows)
        .containsExactly(
            "\"plain\"|other_step|java.lang.IllegalStateException: boom|",
            payload + "|malformed_json|not valid JSON: eof|in.jsonl:7");
    assertThat(LocalParquetFiles.list(dir.resolve("dead_letter")))
        .allSatisfy(f -> assertThat(dir.relativize(f).toString()).matches(
            "dead_letter/dt=\\d{4}-\\d{2}-\\d{2}/dead_letter-all-p0-00000-of-00001\\.parquet"));
  }
}
