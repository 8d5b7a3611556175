package dev.millrace.transforms.sensor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import dev.millrace.model.reference.Device;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/** One maintenance alert: the predictive-maintenance {@code alerts} dataset, one row per alert. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class MaintenanceAlert {
  public static final String VIBRATION_SPIKE = "vibration_spike";
  public static final String OVERHEAT = "overheat";
  public static final String DEGRADING = "degrading";
  public static final String OFFLINE = "offline";
  private static final ObjectMapper JSON = new ObjectMapper();

  @SchemaFieldNumber("0")
  @SchemaFieldName("device_id")
  public abstract String getDeviceId();

  /** vibration_spike, overheat, degrading or offline. */
  @SchemaFieldNumber("1")
  @SchemaFieldName("alert")
  public abstract String getAlert();

  @SchemaFieldNumber("2")
  @SchemaFieldName("event_time")
  public abstract Instant getEventTime();

  @SchemaFieldNumber("3")
  @SchemaFieldName("site")
  public abstract @Nullable String getSite();

  @SchemaFieldNumber("4")
  @SchemaFieldName("model")
  public abstract @Nullable String getModel();

  @SchemaFieldNumber("5")
  @SchemaFieldName("detail")
  public abstract String getDetail();

  public static MaintenanceAlert of(String deviceId, String alert, Instant eventTime, @Nullable Device device,
      String detail) {
    return of(deviceId, alert, eventTime, device == null ? null : device.site(),
        device == null ? null : device.model(), detail);
  }

  public static MaintenanceAlert of(String deviceId, String alert, Instant eventTime, @Nullable String site,
      @Nullable String model, String detail) {
    return new AutoValue_MaintenanceAlert(deviceId, alert, eventTime, site, model, detail);
  }

  /**
   * The alert as one JSON object (for a Kinesis stream). {@code alert_id} (device, kind, event time)
   * is the same for every delivery of one alert, so consumers can de-duplicate a retried put.
   */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("alert_id", getDeviceId() + "/" + getAlert() + "/" + getEventTime());
    node.put("device_id", getDeviceId());
    node.put("alert", getAlert());
    node.put("event_time", getEventTime().toString());
    node.put("site", getSite());
    node.put("model", getModel());
    node.put("detail", getDetail());
    return node.toString();
  }
}
