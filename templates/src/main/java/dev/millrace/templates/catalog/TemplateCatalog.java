package dev.millrace.templates.catalog;

import dev.millrace.io.deadletter.DeadLetterIO;
import dev.millrace.pipelines.clickstream.ClickstreamAnalytics;
import dev.millrace.pipelines.clickstream.ClickstreamAnalyticsOptions;
import dev.millrace.pipelines.logs.LogAnalytics;
import dev.millrace.pipelines.logs.LogAnalyticsOptions;
import java.util.List;
import java.util.Optional;

/** Every template Millrace ships. */
public final class TemplateCatalog {
  private static final List<Template<?>> TEMPLATES =
      List.of(
          new Template<>(
              ClickstreamAnalytics.NAME,
              "Clickstream events to per-page statistics in event-time windows, as Parquet, "
                  + "with de-duplication and dead letters.",
              true,
              ClickstreamAnalyticsOptions.class,
              ClickstreamAnalytics::build,
              List.of(ClickstreamAnalytics.PAGE_STATS, DeadLetterIO.DATASET)),
          new Template<>(
              LogAnalytics.NAME,
              "Web server access logs (combined format) to traffic statistics and top paths per "
                  + "event-time window and client sessions, as Parquet, with dead letters.",
              false,
              LogAnalyticsOptions.class,
              LogAnalytics::build,
              List.of(LogAnalytics.TRAFFIC_STATS, LogAnalytics.TOP_PATHS, LogAnalytics.SESSIONS,
                  DeadLetterIO.DATASET)));

  private TemplateCatalog() {}

  public static List<Template<?>> all() {
    return TEMPLATES;
  }

  public static Optional<Template<?>> find(String name) {
    return TEMPLATES.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
