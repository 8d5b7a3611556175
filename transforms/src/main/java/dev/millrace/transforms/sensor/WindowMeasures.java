package dev.millrace.transforms.sensor;

import dev.millrace.model.DecimalCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/** The {@link Measures} of one key in one event-time window, as of one pane. */
public record WindowMeasures(
    String key, Instant windowStart, Instant windowEnd, Measures measures, long paneIndex, String paneTiming)
    implements Serializable {

  /** A compact coder: the fields in order. */
  public static final class WindowMeasuresCoder extends AtomicCoder<WindowMeasures> {
    private static final WindowMeasuresCoder INSTANCE = new WindowMeasuresCoder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final DecimalCoder DECIMAL = DecimalCoder.of();
    private static final NullableCoder<Double> SLOPE = NullableCoder.of(DoubleCoder.of());

    public static WindowMeasuresCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(WindowMeasures w, OutputStream out) throws IOException {
      STRING.encode(w.key(), out);
      LONG.encode(w.windowStart().getMillis(), out);
      LONG.encode(w.windowEnd().getMillis(), out);
      Measures m = w.measures();
      LONG.encode(m.count(), out);
      INT.encode(m.sums().size(), out);
      for (int i = 0; i < m.sums().size(); i++) {
        DECIMAL.encode(m.sums().get(i), out);
        DECIMAL.encode(m.mins().get(i), out);
        DECIMAL.encode(m.maxes().get(i), out);
      }
      SLOPE.encode(m.slopePerMinute(), out);
      LONG.encode(w.paneIndex(), out);
      STRING.encode(w.paneTiming(), out);
    }

    @Override
    public WindowMeasures decode(InputStream in) throws IOException {
      String key = STRING.decode(in);
      Instant start = new Instant(LONG.decode(in));
      Instant end = new Instant(LONG.decode(in));
      long count = LONG.decode(in);
      int n = INT.decode(in);
      List<BigDecimal> sums = new ArrayList<>(n);
      List<BigDecimal> mins = new ArrayList<>(n);
      List<BigDecimal> maxes = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        sums.add(DECIMAL.decode(in));
        mins.add(DECIMAL.decode(in));
        maxes.add(DECIMAL.decode(in));
      }
      Measures measures = new Measures(count, sums, mins, maxes, SLOPE.decode(in));
      return new WindowMeasures(key, start, end, measures, LONG.decode(in), STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
