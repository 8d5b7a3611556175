package dev.millrace.templates.catalog;

import dev.millrace.pipelines.campaign.CampaignAnalytics;
import dev.millrace.pipelines.campaign.CampaignAnalyticsOptions;
import dev.millrace.pipelines.clickstream.ClickstreamAnalytics;
import dev.millrace.pipelines.clickstream.ClickstreamAnalyticsOptions;
import dev.millrace.pipelines.fraud.FraudDetection;
import dev.millrace.pipelines.fraud.FraudDetectionOptions;
import dev.millrace.pipelines.logs.LogAnalytics;
import dev.millrace.pipelines.maintenance.PredictiveMaintenance;
import dev.millrace.pipelines.maintenance.PredictiveMaintenanceOptions;
import dev.millrace.pipelines.patients.PatientMonitoring;
import dev.millrace.pipelines.patients.PatientMonitoringOptions;
import dev.millrace.pipelines.logs.LogAnalyticsOptions;
import java.util.List;
import java.util.Optional;

/** Every template Millrace ships. */
public final class TemplateCatalog {
  private static final List<Template<?>> TEMPLATES =
      List.of(
          Template.of(ClickstreamAnalyticsOptions.class, ClickstreamAnalytics::build),
          Template.of(LogAnalyticsOptions.class, LogAnalytics::build),
          Template.of(FraudDetectionOptions.class, FraudDetection::build),
          Template.of(PredictiveMaintenanceOptions.class, PredictiveMaintenance::build),
          Template.of(PatientMonitoringOptions.class, PatientMonitoring::build),
          Template.of(CampaignAnalyticsOptions.class, CampaignAnalytics::build));

  private TemplateCatalog() {}

  public static List<Template<?>> all() {
    return TEMPLATES;
  }

  public static Optional<Template<?>> find(String name) {
    return TEMPLATES.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
