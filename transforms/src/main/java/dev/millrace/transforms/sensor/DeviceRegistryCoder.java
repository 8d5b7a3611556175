package dev.millrace.transforms.sensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import dev.millrace.transforms.model.DecimalCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/** A compact coder for a whole {@link DeviceRegistry} (the side input's value); repeated strings shared on decode. */
public final class DeviceRegistryCoder extends AtomicCoder<DeviceRegistry> {
  private static final DeviceRegistryCoder INSTANCE = new DeviceRegistryCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final NullableCoder<String> OPTIONAL = NullableCoder.of(StringUtf8Coder.of());
  private static final DecimalCoder DECIMAL = DecimalCoder.of();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();

  public static DeviceRegistryCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DeviceRegistry registry, OutputStream out) throws IOException {
    STRING.encode(registry.source(), out);
    LONG.encode(registry.loadedAt().getMillis(), out);
    INT.encode(registry.size(), out);
    for (Device d : registry.devices()) {
      STRING.encode(d.deviceId(), out);
      STRING.encode(d.model(), out);
      STRING.encode(d.site(), out);
      DECIMAL.encode(d.maxTemperatureC(), out);
      DECIMAL.encode(d.maxVibrationMmS(), out);
      OPTIONAL.encode(d.installedDate(), out);
    }
  }

  @Override
  public DeviceRegistry decode(InputStream in) throws IOException {
    String source = STRING.decode(in);
    Instant loadedAt = new Instant(LONG.decode(in));
    int size = INT.decode(in);
    List<Device> devices = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      devices.add(new Device(STRING.decode(in), STRING.decode(in).intern(), STRING.decode(in).intern(),
          DECIMAL.decode(in), DECIMAL.decode(in), OPTIONAL.decode(in)));
    }
    return DeviceRegistry.of(devices, source, loadedAt);
  }

  @Override
  public void verifyDeterministic() {}
}
