package dev.millrace.model.reference;

import java.util.Collection;
import org.joda.time.Instant;

/** One version of the customers table, by {@code user_id}. */
public final class CustomerTable extends ReferenceTable<Customer> {
  private static final ReferenceTableCoder<Customer, CustomerTable> CODER = ReferenceTableCoder.of(
      StringRowCoder.of(f -> new Customer(f[0], f[1], f[2], f[3]),
          Customer::userId, Customer::ageBand, Customer::region, Customer::segment),
      CustomerTable::of);

  private CustomerTable(Collection<Customer> rows, String source, Instant loadedAt) {
    super(rows, Customer::userId, "user_id", source, loadedAt);
  }

  /** A table of the given customers; a repeated {@code user_id} is an error. */
  public static CustomerTable of(Collection<Customer> rows, String source, Instant loadedAt) {
    return new CustomerTable(rows, source, loadedAt);
  }

  public static ReferenceTableCoder<Customer, CustomerTable> coder() {
    return CODER;
  }
}
