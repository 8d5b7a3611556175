package dev.millrace.pipelines.maintenance;

import dev.millrace.pipelines.options.DeduplicationOptions;
import dev.millrace.pipelines.options.GeneratorOptions;
import dev.millrace.pipelines.options.KinesisSourceOptions;
import dev.millrace.pipelines.options.ParquetOutputOptions;
import dev.millrace.pipelines.options.RecordSourceOptions;
import dev.millrace.pipelines.options.SlidingWindowOptions;
import dev.millrace.pipelines.options.TemplateMetadata;
import dev.millrace.pipelines.options.TemplateParameter;
import dev.millrace.pipelines.options.ValuePatterns;
import dev.millrace.pipelines.options.WindowingOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The parameters of predictive-maintenance. */
@TemplateMetadata(
    name = PredictiveMaintenance.NAME,
    description = "Machine sensor readings joined with a device registry (reloaded while running): "
        + "device health per sliding event-time window (averages, maxima, vibration trend) and "
        + "maintenance alerts (vibration spikes, overheating and degrading runs of windows, devices gone "
        + "silent; optionally to a Kinesis stream), as Parquet, with dead letters.",
    streaming = true,
    datasets = {PredictiveMaintenance.DEVICE_HEALTH, PredictiveMaintenance.ALERTS, "dead_letter"})
public interface PredictiveMaintenanceOptions
    extends RecordSourceOptions, GeneratorOptions, KinesisSourceOptions, ParquetOutputOptions,
    WindowingOptions, DeduplicationOptions, SlidingWindowOptions {

  @Description(
      "The device registry: JSON lines (optionally compressed) or Parquet files, a path or glob on any Beam "
          + "filesystem, one row per device (device_id, model, site, max_temperature_c, max_vibration_mm_s, "
          + "installed_date). Required with --source=file or kinesis; with --source=synthetic the generator's "
          + "own registry is used unless this is set. Readings of devices not in it are processed (health "
          + "rows) but raise no alerts, and are counted as unregistered.")
  @TemplateParameter(
      path = true, label = "Device registry", example = "reference/devices.jsonl", group = "Reference data")
  String getRegistry();

  void setRegistry(String registry);

  @Description(
      "In streaming runs, how often the device registry is checked and, when its files changed, reloaded "
          + "without restarting; a bad reload keeps the last good registry (logged, counted as "
          + "registry_reloads_failed).")
  @Default.String("10m")
  @TemplateParameter(label = "Registry refresh", example = "10m", regexes = {ValuePatterns.DURATION},
      group = "Reference data")
  String getRegistryRefresh();

  void setRegistryRefresh(String registryRefresh);

  @Description("Synthetic: number of devices (device ids dev-00000 ...); some of them are left out of the "
      + "generated registry (unregistered).")
  @Default.Integer(200)
  @TemplateParameter(label = "Synthetic devices", example = "200", regexes = {"[1-9][0-9]*"})
  int getSyntheticDevices();

  void setSyntheticDevices(int syntheticDevices);

  @Description("Length of the sliding event-time windows of device_health (aligned to the epoch, UTC).")
  @Default.String("10m")
  @TemplateParameter(label = "Window size", example = "10m", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getWindowSize();

  void setWindowSize(String windowSize);

  @Description("overheat: alert when a registered device's window avg_temperature_c is above its max_temperature_c "
      + "in this many consecutive windows (starts one --windowPeriod apart, each with readings); one alert per run.")
  @Default.Integer(3)
  @TemplateParameter(label = "Overheat windows", example = "3", regexes = {"[1-9][0-9]*"}, group = "Rules")
  int getOverheatWindows();

  void setOverheatWindows(int overheatWindows);

  @Description("degrading: alert when a registered device's window has at least --trendMinReadings readings and a "
      + "vibration_slope above this (mm/s per minute); one alert per run of such consecutive windows, at its first.")
  @Default.Double(0.5)
  @TemplateParameter(label = "Trend threshold", example = "0.5", regexes = {ValuePatterns.DECIMAL}, group = "Rules")
  double getTrendThreshold();

  void setTrendThreshold(double trendThreshold);

  @Description("degrading: the fewest readings a window needs for its trend to count.")
  @Default.Integer(20)
  @TemplateParameter(label = "Trend minimum readings", example = "20", regexes = {"[1-9][0-9]*"}, group = "Rules")
  int getTrendMinReadings();

  void setTrendMinReadings(int trendMinReadings);

  @Description("offline: alert when a registered device's next reading comes more than this after its previous "
      + "one, or none comes (the end of a bounded input is silence too); event_time = last reading + this.")
  @Default.String("5m")
  @TemplateParameter(label = "Silence", example = "5m", regexes = {ValuePatterns.DURATION}, group = "Rules")
  String getSilence();

  void setSilence(String silence);

  @Description("If set, alerts are also put as JSON records (partition key device_id, with an alert_id to "
      + "de-duplicate on: a retried put can deliver one twice) into this Kinesis stream (at --kinesisEndpoint, "
      + "or AWS).")
  @TemplateParameter(label = "Alerts stream", example = "maintenance-alerts", regexes = {ValuePatterns.STREAM_NAME},
      group = "Outputs")
  String getAlertsStream();

  void setAlertsStream(String alertsStream);
}
