package dev.millrace.transforms.testdata;

import dev.millrace.model.ClickEvent;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.joda.time.Instant;

/** Compact builders of click events for tests. */
public final class Events {
  private Events() {}

  public static Coder<ClickEvent> coder() {
    try {
      return SchemaRegistry.createDefault().getSchemaCoder(ClickEvent.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ClickEvent event(String id, String time, String user, String page, String action) {
    return ClickEvent.builder()
        .setEventId(id)
        .setEventTime(Instant.parse(time))
        .setUserId(user)
        .setPage(page)
        .setAction(action)
        .build();
  }

  public static ClickEvent purchase(String id, String time, String user, String page, double amount) {
    return event(id, time, user, page, "purchase").toBuilder().setAmount(amount).build();
  }
}
