package dev.millrace.io.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.RawRecord;
import dev.millrace.testing.BeamPipelineExtension;
import dev.millrace.transforms.parse.ClickEventParser;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeamPipelineExtension.class)
class SyntheticClickstreamIOTest {
  static final SyntheticClickstreamConfig TROUBLED =
      SyntheticClickstreamConfig.builder()
          .setDuplicateFraction(0.05)
          .setMalformedFraction(0.05)
          .setLateFraction(0.02)
          .build();

  static List<String> records(SyntheticClickstreamConfig config, int events) {
    return SyntheticRecordsTesting.records(new ClickstreamGenerator(config), events);
  }

  @Test
  void theSameSeedGivesTheSameRecordsAndAnotherSeedDoesNot() {
    assertThat(records(TROUBLED, 2000)).isEqualTo(records(TROUBLED, 2000));
    assertThat(records(TROUBLED.toBuilder().setSeed(7).build(), 2000))
        .isNotEqualTo(records(TROUBLED, 2000));
  }

  @Test
  void producesTheAskedFractionsOfTroubleAndEveryMalformedKind() {
    ClickEventParser parser = new ClickEventParser(1 << 20);
    List<String> all = records(TROUBLED, 20_000);
    Map<String, Integer> reasons = new HashMap<>();
    Set<String> ids = new HashSet<>();
    int valid = 0;
    int duplicates = 0;
    for (String record : all) {
      ClickEventParser.Outcome outcome = parser.parse(record);
      if (outcome.isValid()) {
        valid++;
        if (!ids.add(outcome.event().getEventId())) {
          duplicates++;
        }
      } else {
        reasons.merge(outcome.rejection().reason(), 1, Integer::sum);
      }
    }
    int malformed = all.size() - valid;
    assertThat(malformed).isBetween(800, 1200); // 5% of 20k
    assertThat(duplicates).isBetween(800, 1100); // 5% of the ~19k valid events
    assertThat(reasons.keySet()).hasSize(11); // 12 kinds; two share the reason wrong_type
  }

  @Test
  void aBoundedReadProducesEveryEventOnceOrTwice(TestPipeline p) {
    SyntheticClickstreamConfig config = TROUBLED.toBuilder().setDuplicateFraction(0.0).build();
    PCollection<RawRecord> records =
        p.apply(SyntheticClickstreamIO.read().withConfig(config).withMaxEvents(1000));
    PAssert.thatSingleton(records.apply(Count.globally())).isEqualTo(1000L);
    p.run().waitUntilFinish();
  }
}
