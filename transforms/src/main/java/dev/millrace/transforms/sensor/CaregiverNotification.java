package dev.millrace.transforms.sensor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldName;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.joda.time.Instant;

/** One notification to a patient's caregiver: the {@code notifications} dataset, one row per notification. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class CaregiverNotification {
  public static final String LEFT_SAFE_ZONE = GeofenceTransitions.LEFT;
  public static final String RETURNED_HOME = GeofenceTransitions.RETURNED;
  public static final String TACHYCARDIA = "tachycardia";
  public static final String LOW_SPO2 = "low_spo2";
  public static final String DEVICE_SILENT = "device_silent";
  private static final ObjectMapper JSON = new ObjectMapper();

  @SchemaFieldNumber("0")
  @SchemaFieldName("patient_id")
  public abstract String getPatientId();

  /** left_safe_zone, returned_home, tachycardia, low_spo2 or device_silent. */
  @SchemaFieldNumber("1")
  @SchemaFieldName("kind")
  public abstract String getKind();

  @SchemaFieldNumber("2")
  @SchemaFieldName("event_time")
  public abstract Instant getEventTime();

  @SchemaFieldNumber("3")
  @SchemaFieldName("caregiver")
  public abstract String getCaregiver();

  @SchemaFieldNumber("4")
  @SchemaFieldName("detail")
  public abstract String getDetail();

  public static CaregiverNotification of(String patientId, String kind, Instant eventTime, String caregiver,
      String detail) {
    return new AutoValue_CaregiverNotification(patientId, kind, eventTime, caregiver, detail);
  }

  /**
   * The notification as one JSON object (for a Kinesis stream). {@code notification_id} (patient, kind,
   * event time) is the same for every delivery of one notification, so consumers can de-duplicate.
   */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("notification_id", getPatientId() + "/" + getKind() + "/" + getEventTime());
    node.put("patient_id", getPatientId());
    node.put("kind", getKind());
    node.put("event_time", getEventTime().toString());
    node.put("caregiver", getCaregiver());
    node.put("detail", getDetail());
    return node.toString();
  }
}
