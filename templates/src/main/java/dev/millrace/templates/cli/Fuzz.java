package dev.millrace.templates.cli;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Bad input on purpose ({@code millrace generate --fuzzFraction=F}): a fraction of a generated
 * file's records replaced by a damaged copy, to show that every kind of bad record becomes a dead
 * letter with a reason and none stops a job. Deterministic for a seed. The kinds: random bytes
 * (invalid UTF-8 among them), a record cut short, bytes of it overwritten, JSON nested 1,001 to
 * 5,000 deep, a 2 MiB record (about one in 8,000 damaged ones; over Kinesis's 1 MiB limit, so {@code
 * produce} refuses it and counts it), empty and blank records, every string value made a number,
 * raw control characters in a value.
 */
final class Fuzz {
  /** The kinds, by the name the summary gives. */
  enum Kind {
    RANDOM_BYTES, TRUNCATED, OVERWRITTEN_BYTES, DEEP_NESTING, HUGE, EMPTY, WRONG_TYPES, CONTROL_CHARACTERS
  }

  private final double fraction;
  private final Random random;
  private final Map<Kind, Long> counts = new LinkedHashMap<>();

  Fuzz(double fraction, long seed) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("--fuzzFraction: between 0 and 1, but was " + fraction);
    }
    this.fraction = fraction;
    this.random = new Random(seed ^ 0x5DEECE66DL);
    Arrays.stream(Kind.values()).forEach(k -> counts.put(k, 0L));
  }

  double fraction() {
    return fraction;
  }

  /** How many records of each kind were damaged. */
  Map<Kind, Long> counts() {
    return counts;
  }

  long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Rewrites the file (one record per line, gzip for .gz) with a fraction of its records damaged. */
  void rewrite(Path file) throws IOException {
    Path damaged = file.resolveSibling(file.getFileName() + ".fuzz");
    boolean gzip = file.toString().endsWith(".gz");
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
            gzip ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file), StandardCharsets.UTF_8));
        OutputStream raw = Files.newOutputStream(damaged);
        OutputStream out = new BufferedOutputStream(gzip ? new GZIPOutputStream(raw) : raw, 1 << 16)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write(random.nextDouble() < fraction ? damage(line) : line.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
    }
    Files.move(damaged, file, StandardCopyOption.REPLACE_EXISTING);
  }

  /** One damaged copy of a record: bytes with no line break in them. */
  byte[] damage(String record) {
    byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
    if (kind == Kind.HUGE && random.nextInt(1_000) != 0) {
      kind = Kind.TRUNCATED;
    }
    counts.merge(kind, 1L, Long::sum);
    switch (kind) {
      case RANDOM_BYTES: {
        byte[] noise = new byte[1 + random.nextInt(300)];
        random.nextBytes(noise);
        return withoutLineBreaks(noise);
      }
      case TRUNCATED:
        return Arrays.copyOf(bytes, random.nextInt(Math.max(1, bytes.length - 1)));
      case OVERWRITTEN_BYTES: {
        byte[] copy = bytes.clone();
        for (int i = 0; i < 1 + random.nextInt(4) && copy.length > 0; i++) {
          copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return withoutLineBreaks(copy);
      }
      case DEEP_NESTING:
        // Past Jackson's nesting limit (1,000); the parsers' unit tests go to 100,000.
        return (random.nextBoolean() ? "[" : "{\"a\":").repeat(1_001 + random.nextInt(4_000))
            .getBytes(StandardCharsets.UTF_8);
      case HUGE: {
        byte[] huge = new byte[2 << 20];
        Arrays.fill(huge, (byte) 'x');
        System.arraycopy(bytes, 0, huge, 0, Math.min(bytes.length, huge.length));
        return huge;
      }
      case EMPTY:
        return random.nextBoolean() ? new byte[0] : " \t ".getBytes(StandardCharsets.UTF_8);
      case WRONG_TYPES:
        return record.replaceAll(":\"[^\"]*\"", ":" + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
      case CONTROL_CHARACTERS:
        return record.replaceFirst(":\"", ":\"\u0000\u0001\u001f").getBytes(StandardCharsets.UTF_8);
      default:
        throw new AssertionError(kind);
    }
  }

  private static byte[] withoutLineBreaks(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        bytes[i] = ' ';
      }
    }
    return bytes;
  }
}
