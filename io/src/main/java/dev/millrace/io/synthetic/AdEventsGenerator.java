package dev.millrace.io.synthetic;

import static dev.millrace.io.synthetic.SyntheticRecords.array;
import static dev.millrace.io.synthetic.SyntheticRecords.blank;
import static dev.millrace.io.synthetic.SyntheticRecords.chance;
import static dev.millrace.io.synthetic.SyntheticRecords.json;
import static dev.millrace.io.synthetic.SyntheticRecords.truncated;
import static dev.millrace.io.synthetic.SyntheticRecords.with;
import static dev.millrace.io.synthetic.SyntheticRecords.without;
import static dev.millrace.io.synthetic.SyntheticRecords.withoutOffset;

import dev.millrace.model.reference.Campaign;
import dev.millrace.model.reference.CampaignTable;
import dev.millrace.model.reference.Customer;
import dev.millrace.model.reference.CustomerTable;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.joda.time.Instant;

/**
 * Synthetic ad events for campaign-analytics, three streams with consistent ids, deterministic for a
 * seed. Position n is impression {@code imp-n} at {@code startTime + n / rate}, of a random user
 * ({@code user-%05d}) and campaign ({@code camp-%03d}; one impression in 100 is of {@code camp-999},
 * which the campaigns table lacks), with {@code cost_micros} 2,000..60,000.
 *
 * <ul>
 *   <li>clicks: one impression in 10 is clicked ({@code clk-n-0}) 0-25 minutes after it; one click in
 *       10 comes 31-40 minutes after (too_late), one in 30 is by another user (user_mismatch), one in 8
 *       is repeated 1-3 minutes later ({@code clk-n-1}: repeat_click, or too_late past the window). One
 *       click in 10 is put into the stream 50 positions <em>before</em> its impression (it arrives
 *       first). One position in 200 adds a click of an impression that does not exist (no_impression).
 *   <li>conversions: one position in 40 is a conversion ({@code conv-n}) at its own time, of the user
 *       of one of the 20,000 impressions before it (often a clicker: attributed to the last click
 *       within 24 h) or, one in four, of any user; users with index % 10 == 9 never click (always
 *       unattributed). order_value 5.00..300.00.
 *   <li>customers: every user but those with index % 11 == 3 (segment {@code unknown} in audience_stats).
 * </ul>
 *
 * <p>Optional duplicates (the same line twice) and malformed records (instead of a record, cycling
 * through a blank line, truncated JSON, an array, a missing id, a wrong type, a negative value and an
 * event time without offset), per stream as for the other sources.
 */
public final class AdEventsGenerator implements Serializable {
  public static final String IMPRESSIONS = "impressions";
  public static final String CLICKS = "clicks";
  public static final String CONVERSIONS = "conversions";
  static final long MINUTE = 60_000L;
  /** How many positions early an early click is put into the stream. */
  static final int EARLY_BY = 50;
  static final int CONVERSION_LOOKBACK = 20_000;
  static final String UNLISTED_CAMPAIGN = "camp-999";
  static final List<String> PLACEMENTS = List.of("feed", "search", "sidebar", "video", "story");
  static final List<String> CHANNELS = List.of("search", "social", "display", "video");
  static final List<String> SEGMENTS = List.of("new", "returning", "loyal", "lapsed");
  static final List<String> AGE_BANDS = List.of("18-24", "25-34", "35-44", "45-54", "55+");
  static final List<String> REGIONS = List.of("north", "south", "east", "west");

  static final List<SyntheticRecords.Breakage> MALFORMED_IMPRESSIONS = List.of(
      blank(), truncated(3), array("impression_id", "campaign_id"), without("impression_id"),
      with("cost_micros", "120"), with("cost_micros", -5), with("cost_micros", new BigDecimal("12.5")),
      withoutOffset("event_time"), with("user_id", ""));
  static final List<SyntheticRecords.Breakage> MALFORMED_CLICKS = List.of(
      blank(), truncated(2), without("impression_id"), with("user_id", 7), withoutOffset("event_time"));
  static final List<SyntheticRecords.Breakage> MALFORMED_CONVERSIONS = List.of(
      blank(), truncated(2), without("order_value"), with("order_value", "19.90"),
      with("order_value", new BigDecimal("-1.00")), withoutOffset("event_time"));

  private final SyntheticAdEventsConfig config;
  private final long startMillis;

  public AdEventsGenerator(SyntheticAdEventsConfig config) {
    this.config = config;
    this.startMillis = config.startTime().getMillis();
  }

  public Instant nominalTime(long n) {
    return SyntheticRecords.nominalTime(startMillis, config.eventsPerSecond(), n);
  }

  public static String userId(int index) {
    return String.format("user-%05d", index);
  }

  public static String campaignId(int index) {
    return String.format("camp-%03d", index);
  }

  static boolean neverClicks(int userIndex) {
    return userIndex % 10 == 9;
  }

  static boolean isCustomer(int userIndex) {
    return userIndex % 11 != 3;
  }

  /** The plan of position n: its impression and what becomes of it (every stream draws the same). */
  record Plan(long n, Instant time, int user, String campaign, String placement, long costMicros, boolean clicked,
      long clickDelay, boolean otherUser, boolean repeated, long repeatDelay, boolean early, boolean ghostClick,
      boolean converts, int converter, BigDecimal orderValue, boolean malformed) {}

  /** The user of impression n: the first draw of its position. */
  int userOf(long n) {
    return new SplittableRandom(ClickstreamGenerator.mix(config.seed(), n)).nextInt(config.users());
  }

  Plan plan(long n) {
    SplittableRandom r = new SplittableRandom(ClickstreamGenerator.mix(config.seed(), n));
    int user = r.nextInt(config.users());
    String campaign = r.nextInt(100) == 0 ? UNLISTED_CAMPAIGN : campaignId(r.nextInt(config.campaigns()));
    String placement = PLACEMENTS.get(r.nextInt(PLACEMENTS.size()));
    long cost = r.nextLong(2_000, 60_001);
    boolean clicked = !neverClicks(user) && r.nextInt(10) == 0;
    long delay = r.nextInt(10) == 0 ? r.nextLong(31 * MINUTE, 40 * MINUTE + 1) : r.nextLong(0, 25 * MINUTE + 1);
    boolean otherUser = r.nextInt(30) == 0;
    boolean repeated = r.nextInt(8) == 0;
    long repeatDelay = r.nextLong(MINUTE, 3 * MINUTE + 1);
    boolean early = r.nextInt(10) == 0;
    boolean ghost = r.nextInt(200) == 0;
    boolean converts = r.nextInt(40) == 0;
    int converter;
    if (r.nextInt(4) == 0 || n == 0) {
      converter = r.nextInt(config.users());
    } else {
      converter = userOf(n - 1 - r.nextLong(Math.min(n, CONVERSION_LOOKBACK)));
    }
    BigDecimal value = BigDecimal.valueOf(r.nextLong(500, 30_001), 2);
    boolean malformed = chance(r, config.malformedFraction());
    return new Plan(n, nominalTime(n), user, campaign, placement, cost, clicked, delay, otherUser, repeated,
        repeatDelay, early, ghost, converts, converter, value, malformed);
  }

  /** The records position n puts into {@code stream} (impressions, clicks or conversions). */
  public List<String> recordsOf(long n, String stream) {
    Plan p = plan(n);
    SplittableRandom dup = new SplittableRandom(ClickstreamGenerator.mix(config.seed() ^ stream.hashCode(), n));
    List<String> out = new ArrayList<>();
    switch (stream) {
      case IMPRESSIONS -> emit(out, n, impression(p), p.malformed(), MALFORMED_IMPRESSIONS, dup);
      case CLICKS -> {
        if (!p.early()) {
          clicksOf(p, out, dup);
        }
        Plan later = plan(n + EARLY_BY);
        if (later.early()) {
          clicksOf(later, out, dup);
        }
        if (p.ghostClick()) {
          Map<String, Object> ghost = new LinkedHashMap<>();
          ghost.put("click_id", "clk-ghost-" + n);
          ghost.put("event_time", p.time().toString());
          ghost.put("impression_id", "imp-ghost-" + n);
          ghost.put("user_id", userId(p.user()));
          emit(out, n, ghost, false, MALFORMED_CLICKS, dup);
        }
      }
      case CONVERSIONS -> {
        if (p.converts()) {
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("conversion_id", "conv-" + n);
          c.put("event_time", p.time().toString());
          c.put("user_id", userId(p.converter()));
          c.put("order_value", p.orderValue());
          emit(out, n, c, p.malformed(), MALFORMED_CONVERSIONS, dup);
        }
      }
      default -> throw new IllegalArgumentException("stream must be impressions, clicks or conversions: " + stream);
    }
    return out;
  }

  private void clicksOf(Plan p, List<String> out, SplittableRandom dup) {
    if (!p.clicked()) {
      return;
    }
    String user = userId(p.otherUser() ? (p.user() + 1) % config.users() : p.user());
    Instant first = p.time().plus(p.clickDelay());
    emit(out, p.n(), click(p.n(), 0, first, user), p.malformed(), MALFORMED_CLICKS, dup);
    if (p.repeated()) {
      emit(out, p.n(), click(p.n(), 1, first.plus(p.repeatDelay()), user), false, MALFORMED_CLICKS, dup);
    }
  }

  private static Map<String, Object> click(long n, int k, Instant time, String user) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("click_id", "clk-" + n + "-" + k);
    c.put("event_time", time.toString());
    c.put("impression_id", "imp-" + n);
    c.put("user_id", user);
    return c;
  }

  private Map<String, Object> impression(Plan p) {
    Map<String, Object> i = new LinkedHashMap<>();
    i.put("impression_id", "imp-" + p.n());
    i.put("event_time", p.time().toString());
    i.put("campaign_id", p.campaign());
    i.put("user_id", userId(p.user()));
    i.put("placement", p.placement());
    i.put("cost_micros", p.costMicros());
    return i;
  }

  private void emit(List<String> out, long n, Map<String, Object> fields, boolean malformed,
      List<SyntheticRecords.Breakage> kinds, SplittableRandom dup) {
    if (malformed) {
      out.add(SyntheticRecords.malformed(n, fields, kinds));
    } else {
      out.addAll(SyntheticRecords.onceOrTwice(json(fields), dup, config.duplicateFraction()));
    }
  }

  /** The campaigns table: camp-000 .. camp-(campaigns-1) (not camp-999). */
  public CampaignTable campaigns() {
    List<Campaign> rows = new ArrayList<>();
    for (int c = 0; c < config.campaigns(); c++) {
      rows.add(new Campaign(campaignId(c), "adv-" + (c % 3), CHANNELS.get(c % CHANNELS.size())));
    }
    return CampaignTable.of(rows, "synthetic", config.startTime());
  }

  /** The customers table: every user but those with index % 11 == 3. */
  public CustomerTable customers() {
    List<Customer> rows = new ArrayList<>();
    for (int u = 0; u < config.users(); u++) {
      if (isCustomer(u)) {
        rows.add(new Customer(userId(u), AGE_BANDS.get(u % AGE_BANDS.size()), REGIONS.get((u / 5) % REGIONS.size()),
            SEGMENTS.get((u / 3) % SEGMENTS.size())));
      }
    }
    return CustomerTable.of(rows, "synthetic", config.startTime());
  }

  public List<String> campaignsJsonLines() {
    List<String> lines = new ArrayList<>();
    for (Campaign c : campaigns().rows()) {
      // In this key order every time: a Map.of iterates in an order that changes from JVM to JVM.
      Map<String, String> row = new LinkedHashMap<>();
      row.put("campaign_id", c.campaignId());
      row.put("advertiser", c.advertiser());
      row.put("channel", c.channel());
      lines.add(json(row));
    }
    lines.sort(null);
    return lines;
  }

  public List<String> customersJsonLines() {
    List<String> lines = new ArrayList<>();
    for (Customer c : customers().rows()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("user_id", c.userId());
      row.put("age_band", c.ageBand());
      row.put("region", c.region());
      row.put("segment", c.segment());
      lines.add(json(row));
    }
    lines.sort(null);
    return lines;
  }

  /** One stream of the generator, as positions for {@link SyntheticReads}. */
  SyntheticRecords.Positions stream(String stream) {
    AdEventsGenerator generator = this;
    return new SyntheticRecords.Positions() {
      @Override
      public Instant nominalTime(long n) {
        return generator.nominalTime(n);
      }

      @Override
      public List<String> recordsOf(long n) {
        return generator.recordsOf(n, stream);
      }

      @Override
      public SyntheticRecords.Positions startingAt(Instant start) {
        return new AdEventsGenerator(generator.config.withStartTime(start)).stream(stream);
      }
    };
  }
}
