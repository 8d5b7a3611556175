package dev.millrace.model.reference;

import java.io.Serializable;
import java.util.Objects;

/** One row of the customers table: who a user is, for the audience statistics. */
public record Customer(String userId, String ageBand, String region, String segment) implements Serializable {
  public Customer {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(ageBand, "ageBand");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(segment, "segment");
  }
}
