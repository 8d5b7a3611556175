package dev.millrace.transforms.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.Hashing;
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

  @Test
  void codesItsCountThenEachEntryAsThreeBigEndianLongsAsBefore() throws Exception {
    // The layout checkpoints and savepoints already hold: a table written by an earlier build reads back.
    IdExpiries table = new IdExpiries();
    table.put("a", new Instant(5));
    table.put("b", new Instant(-7));
    table.put("c", new Instant(Long.MAX_VALUE));
    byte[] bytes = CoderUtils.encodeToByteArray(IdExpiries.IdExpiriesCoder.of(), table);

    assertThat(bytes).hasSize(4 + 3 * 24);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    assertThat(in.readInt()).isEqualTo(3);
    Set<List<Long>> entries = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      entries.add(List.of(in.readLong(), in.readLong(), in.readLong()));
    }
    assertThat(entries).containsExactlyInAnyOrder(entry("a", 5), entry("b", -7), entry("c", Long.MAX_VALUE));
    IdExpiries decoded = CoderUtils.decodeFromByteArray(IdExpiries.IdExpiriesCoder.of(), bytes);
    assertThat(decoded.expiryOf("c")).isEqualTo(new Instant(Long.MAX_VALUE));
    assertThat(decoded.expiryOf("d")).isNull();
  }

  private static List<Long> entry(String id, long expiry) {
    ByteBuffer print = ByteBuffer.wrap(Hashing.murmur3_128().hashString(id, StandardCharsets.UTF_8).asBytes());
    return List.of(print.getLong(0), print.getLong(8), expiry);
  }
}
