package dev.millrace.io.synthetic;

import static dev.millrace.io.synthetic.SyntheticRecords.chance;
import static dev.millrace.io.synthetic.SyntheticRecords.json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.joda.time.Instant;

/**
 * The schedule of the generators of readings from a numbered fleet (machine sensors, patients'
 * wearables), which differ only in what a reading holds and which patterns it plays. Position n is
 * a reading of member {@code n % size} at {@code startTime + n / rate}; patterns repeat every hour
 * of event time ({@link #CYCLE}) and are placed by a reading's phase in it. A position gives no
 * record while its member is silent, else its reading, a malformed record instead, or the reading
 * twice, drawn from one random stream per position in that order: the same seed gives the same
 * records.
 */
abstract class FleetReadings implements SyntheticRecords.Positions {
  static final long MINUTE = 60_000L;
  static final long CYCLE = 60 * MINUTE;

  final long startMillis;
  private final double eventsPerSecond;
  private final int size;
  private final long seed;
  private final double malformedFraction;
  private final double duplicateFraction;

  FleetReadings(SyntheticConfig<?> config, int size) {
    this.startMillis = config.startTime().getMillis();
    this.eventsPerSecond = config.eventsPerSecond();
    this.size = size;
    this.seed = config.seed();
    this.malformedFraction = config.malformedFraction();
    this.duplicateFraction = config.duplicateFraction();
  }

  /**
   * A pattern played by the members with {@code index % modulus == residue} during phase {@code [from,
   * to)} of every hour.
   */
  record Pattern(int modulus, int residue, long from, long to) {
    boolean playedBy(int index) {
      return index % modulus == residue;
    }

    /** Whether member {@code index} plays the pattern at this phase of the hour. */
    boolean playsAt(int index, long phase) {
      return playedBy(index) && phase >= from && phase < to;
    }
  }

  @Override
  public Instant nominalTime(long n) {
    return SyntheticRecords.nominalTime(startMillis, eventsPerSecond, n);
  }

  /** The index of the member that position n reads. */
  final int memberIndex(long n) {
    return (int) (n % size);
  }

  /** The registry rows of the members 0 .. size-1 that are registered. */
  final <T> List<T> registeredRows(IntPredicate registered, IntFunction<T> row) {
    List<T> rows = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      if (registered.test(i)) {
        rows.add(row.apply(i));
      }
    }
    return rows;
  }

  /**
   * The random stream of member {@code index}'s profile (who it is, how it normally reads): the same
   * for every position, and apart from the positions' streams by its {@code salt}.
   */
  final SplittableRandom profileRandom(long salt, int index) {
    return new SplittableRandom(ClickstreamGenerator.mix(seed ^ salt, index));
  }

  /** Registry rows as JSON lines, sorted by their id. */
  static <T> List<String> jsonLines(Collection<T> rows, Function<T, String> id,
      Function<T, Map<String, Object>> fields) {
    List<T> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(id));
    List<String> lines = new ArrayList<>(sorted.size());
    for (T row : sorted) {
      lines.add(json(fields.apply(row)));
    }
    return lines;
  }

  /**
   * The records of position n: usually one reading; two equal lines for a duplicate; a malformed
   * record instead; none while the member is silent.
   */
  @Override
  public final List<String> recordsOf(long n) {
    int index = memberIndex(n);
    Instant time = nominalTime(n);
    long phase = Math.floorMod(time.getMillis() - startMillis, CYCLE);
    if (isSilent(index, phase)) {
      return List.of();
    }
    SplittableRandom r = new SplittableRandom(ClickstreamGenerator.mix(seed, n));
    boolean malformed = chance(r, malformedFraction);
    Map<String, Object> reading = reading(n, index, time, phase, r);
    if (malformed && mayBeMalformed(n)) {
      return List.of(SyntheticRecords.malformed(n, reading, malformedKinds()));
    }
    return SyntheticRecords.onceOrTwice(json(reading), r, duplicateFraction);
  }

  /** The fleet's registry (of the registered members) as JSON lines, sorted by id. */
  public abstract List<String> registryJsonLines();

  /** Whether member {@code index} sends nothing at this phase of the hour. */
  abstract boolean isSilent(int index, long phase);

  /** The fields of position n's reading, drawn from {@code r}. */
  abstract Map<String, Object> reading(long n, int index, Instant time, long phase, SplittableRandom r);

  /** The kinds of malformed record, cycled by position (a static list: its lambdas are not serializable). */
  abstract List<SyntheticRecords.Breakage> malformedKinds();

  /** Whether position n may be replaced by a malformed record (a planted alert may not). */
  boolean mayBeMalformed(long n) {
    return true;
  }
}
