package dev.millrace.model.reference;

import dev.millrace.model.reference.ReferenceTable;
import dev.millrace.model.reference.ReferenceTableCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.joda.time.Instant;

/** One version of the customers table, by {@code user_id}. */
public final class CustomerTable extends ReferenceTable<Customer> {
  private static final ReferenceTableCoder<Customer, CustomerTable> CODER =
      ReferenceTableCoder.of(new RowCoder(), CustomerTable::of);

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

  static final class RowCoder extends AtomicCoder<Customer> {
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

    @Override
    public void encode(Customer c, OutputStream out) throws IOException {
      STRING.encode(c.userId(), out);
      STRING.encode(c.ageBand(), out);
      STRING.encode(c.region(), out);
      STRING.encode(c.segment(), out);
    }

    @Override
    public Customer decode(InputStream in) throws IOException {
      return new Customer(STRING.decode(in), STRING.decode(in), STRING.decode(in), STRING.decode(in));
    }
  }
}
