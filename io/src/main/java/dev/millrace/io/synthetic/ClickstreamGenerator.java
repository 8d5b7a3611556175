package dev.millrace.io.synthetic;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.joda.time.Instant;
import org.joda.time.format.ISODateTimeFormat;

/**
 * Generates the records of synthetic event {@code n} as a pure function of (seed, n), so any worker
 * can produce any slice and a seed always replays the same stream. Event {@code n}'s nominal time is
 * {@code startTime + n / rate}; its payload's {@code event_time} may be earlier (out of order, or
 * late). Pages follow a skewed (Zipf-like) popularity, users come back in sessions, and the action
 * mix is mostly views with a few purchases.
 */
public final class ClickstreamGenerator extends EvenlySpacedPositions {
  static final String[] COUNTRIES = {"US", "DE", "GB", "FR", "IN", "BR", "JP", "ES", "CA", "NL"};
  static final String[] AGENTS = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
  };
  static final String[] REFERRERS = {null, "https://www.google.com/", "https://news.example.com/"};
  static final int PRODUCT_PAGES = 60;

  private final SyntheticClickstreamConfig config;

  public ClickstreamGenerator(SyntheticClickstreamConfig config) {
    super(config.startTime(), config.eventsPerSecond());
    this.config = config;
  }

  @Override
  public ClickstreamGenerator startingAt(Instant start) {
    return new ClickstreamGenerator(config.toBuilder().setStartTime(start).build());
  }

  /** The records that event {@code n} puts on the stream: one, or two when it is duplicated. */
  @Override
  public List<String> recordsOf(long n) {
    SplittableRandom random = new SplittableRandom(mix(config.seed(), n));
    List<String> records = new ArrayList<>(2);
    if (random.nextDouble() < config.malformedFraction()) {
      records.add(malformed(n, random));
      return records;
    }
    String json = valid(n, random);
    records.add(json);
    if (random.nextDouble() < config.duplicateFraction()) {
      records.add(json);
    }
    return records;
  }

  private String valid(long n, SplittableRandom random) {
    long eventMillis = nominalTime(n).getMillis();
    double timing = random.nextDouble();
    if (timing < config.lateFraction()) {
      // Behind by more than the out-of-orderness: later than the watermark lets through on time.
      long lateBy = config.lateBy().getMillis();
      eventMillis -= lateBy + (long) (random.nextDouble() * lateBy);
    } else if (timing < config.lateFraction() + config.outOfOrderFraction()) {
      eventMillis -= (long) (random.nextDouble() * config.maxOutOfOrderness().getMillis());
    }
    long user = zipf(random, config.users(), 1.1);
    String page = page(random);
    double actionDraw = random.nextDouble();
    String action;
    String amount = null;
    if (page.equals("/checkout") && actionDraw < 0.6) {
      action = "purchase";
      // Cents, as real prices are: 5.00 to 500.00.
      amount = BigDecimal.valueOf(500 + random.nextInt(49_501), 2).toPlainString();
    } else if (actionDraw < 0.70) {
      action = "view";
    } else if (actionDraw < 0.92) {
      action = "click";
    } else {
      action = "add_to_cart";
    }
    // A session per user per half hour of nominal time.
    long sessionBucket = nominalTime(n).getMillis() / 1_800_000L;
    StringBuilder json = new StringBuilder(256);
    json.append("{\"event_id\":\"evt-").append(config.seed()).append('-').append(n).append('"');
    json.append(",\"event_time\":\"").append(iso(eventMillis)).append('"');
    json.append(",\"user_id\":\"user-").append(user).append('"');
    json.append(",\"page\":\"").append(page).append('"');
    json.append(",\"action\":\"").append(action).append('"');
    if (amount != null) {
      json.append(",\"amount\":").append(amount);
    }
    json.append(",\"session_id\":\"s-").append(user).append('-').append(sessionBucket).append('"');
    json.append(",\"country\":\"").append(COUNTRIES[(int) (user % COUNTRIES.length)]).append('"');
    json.append(",\"user_agent\":\"").append(AGENTS[(int) (user % AGENTS.length)]).append('"');
    String referrer = REFERRERS[random.nextInt(REFERRERS.length)];
    if (referrer != null) {
      json.append(",\"referrer\":\"").append(referrer).append('"');
    }
    return json.append('}').toString();
  }

  private static String page(SplittableRandom random) {
    double draw = random.nextDouble();
    if (draw < 0.20) {
      return "/";
    } else if (draw < 0.28) {
      return "/search";
    } else if (draw < 0.34) {
      return "/cart";
    } else if (draw < 0.38) {
      return "/checkout";
    }
    return "/products/" + zipf(random, PRODUCT_PAGES, 1.2);
  }

  /** One of twelve kinds of broken record, each a distinct dead-letter reason. */
  private String malformed(long n, SplittableRandom random) {
    String id = "\"event_id\":\"bad-" + config.seed() + "-" + n + "\"";
    String time = "\"event_time\":\"" + iso(nominalTime(n).getMillis()) + "\"";
    String rest = ",\"user_id\":\"user-1\",\"page\":\"/\"";
    switch ((int) (n % 12)) {
      case 0:
        return "{" + id + "," + time + rest + ",\"action\":\"view\""; // truncated JSON
      case 1:
        return "";
      case 2:
        return "[\"not\",\"an\",\"object\"]";
      case 3:
        return "{" + id + "," + time + ",\"page\":\"/\",\"action\":\"view\"}"; // no user_id
      case 4:
        return "{" + id + "," + time + ",\"user_id\":null,\"page\":\"/\",\"action\":\"view\"}";
      case 5:
        return "{" + id + "," + time + ",\"user_id\":\"user-1\",\"page\":\"\",\"action\":\"view\"}";
      case 6:
        return "{" + id + ",\"event_time\":" + nominalTime(n).getMillis() + rest + ",\"action\":\"view\"}";
      case 7:
        return "{" + id + "," + time + rest + ",\"action\":\"purchase\",\"amount\":\"12.50\"}";
      case 8:
        return "{" + id + ",\"event_time\":\"" + random.nextInt(28) + "/11/2026 10:00\"" + rest
            + ",\"action\":\"view\"}";
      case 9:
        return "{" + id + "," + time + rest + ",\"action\":\"scroll\"}";
      case 10:
        return "{" + id + "," + time + rest + ",\"action\":\"purchase\",\"amount\":-3.5}";
      default:
        return "{" + id + "," + time + rest + ",\"action\":\"purchase\"}";
    }
  }

  private static String iso(long millis) {
    return ISODateTimeFormat.dateTime().withZoneUTC().print(millis);
  }

  /** A rank in [1, n] drawn with probability proportional to 1 / rank^s (approximate inverse CDF). */
  static long zipf(SplittableRandom random, long n, double s) {
    double u = random.nextDouble();
    double exponent = 1.0 - s;
    double max = (Math.pow(n + 1.0, exponent) - 1.0) / exponent;
    double x = Math.pow(u * max * exponent + 1.0, 1.0 / exponent);
    return Math.max(1, Math.min(n, (long) x));
  }

  static long mix(long seed, long n) {
    long z = seed * 0x9E3779B97F4A7C15L + n;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
