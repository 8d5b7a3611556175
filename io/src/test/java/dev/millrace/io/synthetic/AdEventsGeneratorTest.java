package dev.millrace.io.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdEventsGeneratorTest {
  @Test
  void campaignLinesKeepOneKeyOrderInEveryJvm() {
    // The file's bytes are fixed by the seed: a key order that varied from run to run made two
    // generations of the same seed differ.
    assertThat(new AdEventsGenerator(SyntheticAdEventsConfig.defaults()).campaignsJsonLines())
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line).matches("\\{\"campaign_id\":\"[^\"]+\",\"advertiser\":\"[^\"]+\",\"channel\":\"[^\"]+\"}"));
  }
}
