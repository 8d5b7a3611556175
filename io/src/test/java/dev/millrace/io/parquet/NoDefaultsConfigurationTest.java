package dev.millrace.io.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.beam.sdk.io.hadoop.SerializableConfiguration;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class NoDefaultsConfigurationTest {
  @Test
  void itHasNoDefaultResourcesEvenAfterTheSinkIsDeserialized() {
    // hadoop.tmp.dir is one of core-default.xml's settings.
    assertThat(new Configuration().get("hadoop.tmp.dir")).as("Hadoop's defaults, for contrast").isNotNull();
    assertThat(new NoDefaultsConfiguration().get("hadoop.tmp.dir")).isNull();

    NoDefaultsConfiguration configuration = new NoDefaultsConfiguration();
    configuration.set("parquet.page.size", "65536");
    SerializableConfiguration copy = SerializableUtils.clone(new SerializableConfiguration(configuration));
    assertThat(copy.get()).isInstanceOf(NoDefaultsConfiguration.class);
    assertThat(copy.get().get("hadoop.tmp.dir")).isNull();
    assertThat(copy.get().get("parquet.page.size")).isEqualTo("65536");
  }
}
