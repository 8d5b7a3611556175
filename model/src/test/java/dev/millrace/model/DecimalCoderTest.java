package dev.millrace.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class DecimalCoderTest {
  @Test
  void roundTripsEveryKindOfDecimalExactly() throws Exception {
    for (String text : new String[] {"0", "71.30", "-100", "1E+2", "1e-400", "-0.001", "9223372036854775807",
        "-9223372036854775808", "123456789012345678901234567890.123456789", "1E+400", "4611686018427387904"}) {
      BigDecimal value = new BigDecimal(text);
      BigDecimal back = CoderUtils.clone(DecimalCoder.of(), value);
      assertThat(back).as(text).isEqualTo(value); // equals: same unscaled value and scale
    }
  }
}
