package dev.millrace.transforms.dedup;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.HashFunction;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.Hashing;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The ids one de-duplication shard holds, each with the event time its entry expires: an
 * open-addressing table of the ids' 128-bit fingerprints (murmur3) and expiry times in three
 * primitive arrays, 24 bytes an entry (about 40 with the table's free slots).
 *
 * <p>Why not a {@code MapState<String, Instant>}: on Flink's heap state backend every entry is a
 * hash-map node, a String, its bytes and an Instant (about 130 bytes), and a checkpoint's
 * copy-on-write keeps a second copy of each map written since; 3 million ids (10 minutes at 5,000
 * events/s) ran a 1 GB TaskManager heap out of memory. Two different ids share a fingerprint with
 * probability about n²/2^129 (10^-25 for 10 million ids held at once): treated as never.
 *
 * <p>Mutable: a DoFn reads it from its state, changes it and writes it back.
 */
final class IdExpiries {
  private static final HashFunction FINGERPRINT = Hashing.murmur3_128();
  private static final long FREE = Long.MIN_VALUE;
  private static final int MIN_CAPACITY = 16;

  private long[] high;
  private long[] low;
  private long[] expiry;
  private int size;

  IdExpiries() {
    this(MIN_CAPACITY);
  }

  private IdExpiries(int capacity) {
    high = new long[capacity];
    low = new long[capacity];
    expiry = new long[capacity];
    Arrays.fill(expiry, FREE);
  }

  int size() {
    return size;
  }

  /** When {@code id}'s entry expires, or null when it is not held. */
  @Nullable
  Instant expiryOf(String id) {
    ByteBuffer print = fingerprint(id);
    int slot = find(print.getLong(0), print.getLong(8));
    return expiry[slot] == FREE ? null : new Instant(expiry[slot]);
  }

  /** Holds {@code id} until {@code expiresAt} (replacing the expiry it had). */
  void put(String id, Instant expiresAt) {
    ByteBuffer print = fingerprint(id);
    put(print.getLong(0), print.getLong(8), expiresAt.getMillis());
  }

  /** Removes every entry that expires at or before {@code passed}; returns the earliest left, or null. */
  @Nullable
  Instant removeExpiredUpTo(Instant passed) {
    long limit = passed.getMillis();
    int kept = 0;
    for (long e : expiry) {
      if (e != FREE && e > limit) {
        kept++;
      }
    }
    IdExpiries survivors = new IdExpiries(capacityFor(kept));
    long earliest = Long.MAX_VALUE;
    for (int i = 0; i < expiry.length; i++) {
      if (expiry[i] != FREE && expiry[i] > limit) {
        survivors.put(high[i], low[i], expiry[i]);
        earliest = Math.min(earliest, expiry[i]);
      }
    }
    high = survivors.high;
    low = survivors.low;
    expiry = survivors.expiry;
    size = survivors.size;
    return size == 0 ? null : new Instant(earliest);
  }

  private void put(long h, long l, long expiresAt) {
    if ((size + 1) * 4L > expiry.length * 3L) {
      grow();
    }
    int slot = find(h, l);
    if (expiry[slot] == FREE) {
      high[slot] = h;
      low[slot] = l;
      size++;
    }
    expiry[slot] = expiresAt;
  }

  /** The slot holding the fingerprint, or the free slot where it would go (linear probing). */
  private int find(long h, long l) {
    int mask = expiry.length - 1;
    int slot = (int) (l ^ (l >>> 32)) & mask;
    while (expiry[slot] != FREE && (high[slot] != h || low[slot] != l)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void grow() {
    long[] oldHigh = high;
    long[] oldLow = low;
    long[] oldExpiry = expiry;
    high = new long[oldExpiry.length * 2];
    low = new long[oldExpiry.length * 2];
    expiry = new long[oldExpiry.length * 2];
    Arrays.fill(expiry, FREE);
    size = 0;
    for (int i = 0; i < oldExpiry.length; i++) {
      if (oldExpiry[i] != FREE) {
        put(oldHigh[i], oldLow[i], oldExpiry[i]);
      }
    }
  }

  /** A power of two that holds {@code entries} at most three quarters full. */
  private static int capacityFor(int entries) {
    int capacity = MIN_CAPACITY;
    while (entries * 4L > capacity * 3L) {
      capacity *= 2;
    }
    return capacity;
  }

  private static ByteBuffer fingerprint(String id) {
    return ByteBuffer.wrap(FINGERPRINT.hashString(id, StandardCharsets.UTF_8).asBytes());
  }

  /**
   * Entries as (fingerprint, expiry) triples of big-endian longs, after their count (an int). Written
   * and read as one block: the DirectRunner clones a shard's table through this coder in every bundle
   * that touches it, and a write or read call per long was most of that.
   */
  static final class IdExpiriesCoder extends AtomicCoder<IdExpiries> {
    private static final IdExpiriesCoder INSTANCE = new IdExpiriesCoder();
    private static final int ENTRY_BYTES = 3 * Long.BYTES;

    static IdExpiriesCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(IdExpiries value, OutputStream outStream) throws IOException {
      ByteBuffer out = ByteBuffer.allocate(Integer.BYTES + value.size * ENTRY_BYTES);
      out.putInt(value.size);
      for (int i = 0; i < value.expiry.length; i++) {
        if (value.expiry[i] != FREE) {
          out.putLong(value.high[i]).putLong(value.low[i]).putLong(value.expiry[i]);
        }
      }
      outStream.write(out.array());
    }

    @Override
    public IdExpiries decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      int size = in.readInt();
      byte[] entries = new byte[Math.multiplyExact(size, ENTRY_BYTES)];
      in.readFully(entries);
      ByteBuffer read = ByteBuffer.wrap(entries);
      IdExpiries value = new IdExpiries(capacityFor(size));
      for (int i = 0; i < size; i++) {
        value.put(read.getLong(), read.getLong(), read.getLong());
      }
      return value;
    }
  }
}
