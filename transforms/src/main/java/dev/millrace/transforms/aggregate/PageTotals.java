package dev.millrace.transforms.aggregate;

import dev.millrace.model.Action;
import dev.millrace.model.ClickEvent;
import dev.millrace.model.DecimalCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SetCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Running totals of one page's events: counts per action, revenue, and the exact set of users.
 * Revenue is summed as exact decimals so the result does not depend on the order in which a runner
 * happens to combine values.
 */
@DefaultCoder(PageTotals.PageTotalsCoder.class)
public final class PageTotals {
  long events;
  long views;
  long clicks;
  long addToCarts;
  long purchases;
  BigDecimal revenue = BigDecimal.ZERO;
  Set<String> users = new HashSet<>();

  public void add(ClickEvent event) {
    events++;
    users.add(event.getUserId());
    switch (Action.fromWireName(event.getAction()).orElseThrow()) {
      case VIEW:
        views++;
        break;
      case CLICK:
        clicks++;
        break;
      case ADD_TO_CART:
        addToCarts++;
        break;
      case PURCHASE:
        purchases++;
        Double amount = event.getAmount();
        if (amount != null) {
          revenue = revenue.add(BigDecimal.valueOf(amount));
        }
        break;
    }
  }

  public void merge(PageTotals other) {
    events += other.events;
    views += other.views;
    clicks += other.clicks;
    addToCarts += other.addToCarts;
    purchases += other.purchases;
    revenue = revenue.add(other.revenue);
    users.addAll(other.users);
  }

  public long events() {
    return events;
  }

  public long views() {
    return views;
  }

  public long clicks() {
    return clicks;
  }

  public long addToCarts() {
    return addToCarts;
  }

  public long purchases() {
    return purchases;
  }

  public double revenue() {
    return revenue.doubleValue();
  }

  public long uniqueUsers() {
    return users.size();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PageTotals)) {
      return false;
    }
    PageTotals that = (PageTotals) o;
    return events == that.events
        && views == that.views
        && clicks == that.clicks
        && addToCarts == that.addToCarts
        && purchases == that.purchases
        && revenue.compareTo(that.revenue) == 0
        && users.equals(that.users);
  }

  @Override
  public int hashCode() {
    return Objects.hash(events, views, clicks, addToCarts, purchases, users);
  }

  /** Encodes the totals compactly; the user set is the bulk of it. */
  public static final class PageTotalsCoder extends CustomCoder<PageTotals> {
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final DecimalCoder DECIMAL = DecimalCoder.of();
    private static final SetCoder<String> USERS = SetCoder.of(StringUtf8Coder.of());

    public static PageTotalsCoder of() {
      return new PageTotalsCoder();
    }

    @Override
    public void encode(PageTotals value, OutputStream out) throws IOException {
      LONG.encode(value.events, out);
      LONG.encode(value.views, out);
      LONG.encode(value.clicks, out);
      LONG.encode(value.addToCarts, out);
      LONG.encode(value.purchases, out);
      DECIMAL.encode(value.revenue, out);
      USERS.encode(value.users, out);
    }

    @Override
    public PageTotals decode(InputStream in) throws IOException {
      PageTotals totals = new PageTotals();
      totals.events = LONG.decode(in);
      totals.views = LONG.decode(in);
      totals.clicks = LONG.decode(in);
      totals.addToCarts = LONG.decode(in);
      totals.purchases = LONG.decode(in);
      totals.revenue = DECIMAL.decode(in);
      totals.users = new HashSet<>(USERS.decode(in));
      return totals;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof PageTotalsCoder;
    }

    @Override
    public int hashCode() {
      return PageTotalsCoder.class.hashCode();
    }
  }
}
