package dev.millrace.transforms.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class IdExpiriesTest {
  @Test
  void holdsWhatAMapWouldThroughGrowthCleanupsAndCoding() throws Exception {
    Random random = new Random(7);
    Map<String, Long> expected = new HashMap<>();
    IdExpiries table = new IdExpiries();
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 20_000; i++) {
        String id = "id-" + random.nextInt(60_000);
        long expiry = random.nextInt(1_000_000);
        expected.put(id, expiry);
        table.put(id, new Instant(expiry));
      }
      long passed = 200_000L * round;
      Instant earliest = table.removeExpiredUpTo(new Instant(passed));
      expected.values().removeIf(e -> e <= passed);
      assertThat(table.size()).isEqualTo(expected.size());
      assertThat(earliest).isEqualTo(new Instant(expected.values().stream().min(Long::compare).orElseThrow()));
      table = CoderUtils.clone(IdExpiries.IdExpiriesCoder.of(), table);
    }
    for (int i = 0; i < 60_000; i++) {
      Long e = expected.get("id-" + i);
      assertThat(table.expiryOf("id-" + i)).as("id-%d", i).isEqualTo(e == null ? null : new Instant(e));
    }
  }

  @Test
  void anEmptyTableHasNoEarliestAndCodesToItsCount() throws Exception {
    IdExpiries table = new IdExpiries();
    table.put("a", new Instant(5));
    assertThat(table.removeExpiredUpTo(new Instant(5))).isNull();
    assertThat(table.size()).isZero();
    assertThat(table.expiryOf("a")).isNull();
    assertThat(CoderUtils.encodeToByteArray(IdExpiries.IdExpiriesCoder.of(), table)).hasSize(4);
  }
}
