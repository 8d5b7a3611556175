package dev.millrace.templates.cli;

import dev.millrace.pipelines.clickstream.ClickstreamAnalytics;
import dev.millrace.templates.catalog.Template;
import dev.millrace.templates.catalog.TemplateCatalog;

/** Looks up templates the CLI itself relies on. */
final class TemplateCatalogAccess {
  private TemplateCatalogAccess() {}

  static Template<?> clickstream() {
    return TemplateCatalog.find(ClickstreamAnalytics.NAME).orElseThrow();
  }
}
