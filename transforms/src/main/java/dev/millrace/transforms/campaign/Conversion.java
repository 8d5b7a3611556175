package dev.millrace.transforms.campaign;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;
import org.joda.time.Instant;

/** One conversion (an order), as the conversion record contract defines it; the value is the record's exact decimal. */
public record Conversion(String conversionId, Instant eventTime, String userId, BigDecimal orderValue)
    implements Serializable {

  public Conversion {
    Objects.requireNonNull(conversionId, "conversionId");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(orderValue, "orderValue");
  }
}
