package dev.millrace.transforms.rows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.AccessLogEntry;
import dev.millrace.model.ClickEvent;
import dev.millrace.model.ClientSession;
import dev.millrace.model.PageStats;
import dev.millrace.model.TopPath;
import dev.millrace.model.TrafficStats;
import dev.millrace.transforms.campaign.Attribution;
import dev.millrace.transforms.campaign.AudienceStats;
import dev.millrace.transforms.campaign.CampaignStats;
import dev.millrace.transforms.campaign.OrphanClick;
import dev.millrace.transforms.fraud.FraudAlert;
import dev.millrace.transforms.fraud.FraudStats;
import dev.millrace.transforms.sensor.CaregiverNotification;
import dev.millrace.transforms.sensor.DeviceHealth;
import dev.millrace.transforms.sensor.MaintenanceAlert;
import dev.millrace.transforms.sensor.VitalsStats;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every schema'd record pins its field order. Beam infers an AutoValue schema's field order from
 * reflection, which differs from one JVM to the next: state written by one job and read by a job
 * resubmitted from its savepoint then had its fields permuted (seen: a fraud_stats window's reason
 * counts rotated by one column after a savepoint restart). With {@code @SchemaFieldNumber} on every
 * field, the order is the declared one in every JVM.
 */
class SchemaFieldOrderTest {
  @ParameterizedTest
  @ValueSource(classes = {PageStats.class, ClickEvent.class, TrafficStats.class, ClientSession.class, TopPath.class,
      AccessLogEntry.class, FraudAlert.class, FraudStats.class, DeviceHealth.class, MaintenanceAlert.class,
      VitalsStats.class, CaregiverNotification.class, Attribution.class, OrphanClick.class, CampaignStats.class,
      AudienceStats.class})
  void everyFieldIsNumberedInDeclarationOrder(Class<?> type) throws Exception {
    List<Integer> numbers = new ArrayList<>();
    for (Method m : type.getDeclaredMethods()) {
      if (Modifier.isAbstract(m.getModifiers()) && m.getParameterCount() == 0 && m.getReturnType() != void.class
          && !m.getReturnType().getSimpleName().equals("Builder")) {
        SchemaFieldNumber number = m.getAnnotation(SchemaFieldNumber.class);
        assertThat(number).as("%s.%s has @SchemaFieldNumber", type.getSimpleName(), m.getName()).isNotNull();
        numbers.add(Integer.parseInt(number.value()));
      }
    }
    int fields = SchemaRegistry.createDefault().getSchema(type).getFieldCount();
    assertThat(numbers).as("%s: one number per field, 0..%d", type.getSimpleName(), fields - 1)
        .hasSize(fields).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, fields).boxed().toList());
  }
}
