package dev.millrace.pipelines.patients;

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

/** The parameters of patient-monitoring. */
@TemplateMetadata(
    name = PatientMonitoring.NAME,
    description = "Wearable vitals with location joined with a patient registry (reloaded while running): "
        + "vitals per sliding event-time window and caregiver notifications (leaving and returning to the "
        + "safe zone, sustained tachycardia, low SpO2, a silent device; optionally to a Kinesis stream), as "
        + "Parquet, with dead letters.",
    streaming = true,
    datasets = {PatientMonitoring.VITALS_STATS, PatientMonitoring.NOTIFICATIONS, "dead_letter"})
public interface PatientMonitoringOptions
    extends RecordSourceOptions, GeneratorOptions, KinesisSourceOptions, ParquetOutputOptions,
    WindowingOptions, DeduplicationOptions, SlidingWindowOptions {

  @Description(
      "The patient registry: JSON lines (optionally compressed) or Parquet files, a path or glob on any Beam "
          + "filesystem, one row per patient (patient_id, home_lat, home_lon, safe_radius_m, max_heart_rate, "
          + "caregiver). Required with --source=file or kinesis; with --source=synthetic the generator's own "
          + "registry is used unless this is set. Vitals of patients not in it are dead letters (unknown_patient).")
  @TemplateParameter(
      path = true, label = "Patient registry", example = "reference/patients.jsonl", group = "Reference data")
  String getRegistry();

  void setRegistry(String registry);

  @Description(
      "In streaming runs, how often the patient registry is checked and, when its files changed, reloaded "
          + "without restarting; a bad reload keeps the last good registry (logged, counted as "
          + "patients_reloads_failed).")
  @Default.String("10m")
  @TemplateParameter(label = "Registry refresh", example = "10m", regexes = {ValuePatterns.DURATION},
      group = "Reference data")
  String getRegistryRefresh();

  void setRegistryRefresh(String registryRefresh);

  @Description("Synthetic: number of patients (ids pat-00000 ...); some of them are left out of the generated "
      + "registry (their vitals are dead letters).")
  @Default.Integer(100)
  @TemplateParameter(label = "Synthetic patients", example = "100", regexes = {"[1-9][0-9]*"})
  int getSyntheticPatients();

  void setSyntheticPatients(int syntheticPatients);

  @Description("Length of the sliding event-time windows of vitals_stats (aligned to the epoch, UTC).")
  @Default.String("5m")
  @TemplateParameter(label = "Window size", example = "5m", regexes = {ValuePatterns.DURATION}, group = "Windows")
  String getWindowSize();

  void setWindowSize(String windowSize);

  @Description("tachycardia: notify when a window's avg_heart_rate is above the patient's max_heart_rate in this "
      + "many consecutive windows (starts one --windowPeriod apart, each with readings); one per run.")
  @Default.Integer(3)
  @TemplateParameter(label = "Tachycardia windows", example = "3", regexes = {"[1-9][0-9]*"}, group = "Rules")
  int getTachycardiaWindows();

  void setTachycardiaWindows(int tachycardiaWindows);

  @Description("low_spo2: notify when every reading of a window with at least --spo2MinReadings readings has spo2 "
      + "below this; one notification per run of such consecutive windows, at its first.")
  @Default.Double(90)
  @TemplateParameter(label = "SpO2 threshold", example = "90", regexes = {ValuePatterns.DECIMAL}, group = "Rules")
  double getSpo2Threshold();

  void setSpo2Threshold(double spo2Threshold);

  @Description("low_spo2: the fewest readings a window needs.")
  @Default.Integer(3)
  @TemplateParameter(label = "SpO2 minimum readings", example = "3", regexes = {"[1-9][0-9]*"}, group = "Rules")
  int getSpo2MinReadings();

  void setSpo2MinReadings(int spo2MinReadings);

  @Description("device_silent: notify when a patient's next reading comes more than this after the previous one, "
      + "or none comes (the end of a bounded input is silence too); event_time = last reading + this.")
  @Default.String("2m")
  @TemplateParameter(label = "Silence", example = "2m", regexes = {ValuePatterns.DURATION}, group = "Rules")
  String getSilence();

  void setSilence(String silence);

  @Description("If set, notifications are also put as JSON records (partition key patient_id, with a "
      + "notification_id to de-duplicate on: a retried put can deliver one twice) into this Kinesis stream (at "
      + "--kinesisEndpoint, or AWS).")
  @TemplateParameter(label = "Notifications stream", example = "caregiver-notifications",
      regexes = {ValuePatterns.STREAM_NAME}, group = "Outputs")
  String getNotificationsStream();

  void setNotificationsStream(String notificationsStream);
}
