package dev.millrace.model.reference;

import dev.millrace.model.DecimalCoder;
import dev.millrace.model.reference.ReferenceTableCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** Coders for the device registry (a side input's value) and its rows; repeated strings shared on decode. */
public final class DeviceRegistryCoder {
  private static final ReferenceTableCoder<Device, DeviceRegistry> INSTANCE =
      ReferenceTableCoder.of(new DeviceCoder(), DeviceRegistry::of);

  private DeviceRegistryCoder() {}

  public static ReferenceTableCoder<Device, DeviceRegistry> of() {
    return INSTANCE;
  }

  static final class DeviceCoder extends AtomicCoder<Device> {
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final NullableCoder<String> OPTIONAL = NullableCoder.of(StringUtf8Coder.of());
    private static final DecimalCoder DECIMAL = DecimalCoder.of();

    @Override
    public void encode(Device d, OutputStream out) throws IOException {
      STRING.encode(d.deviceId(), out);
      STRING.encode(d.model(), out);
      STRING.encode(d.site(), out);
      DECIMAL.encode(d.maxTemperatureC(), out);
      DECIMAL.encode(d.maxVibrationMmS(), out);
      OPTIONAL.encode(d.installedDate(), out);
    }

    @Override
    public Device decode(InputStream in) throws IOException {
      return new Device(STRING.decode(in), STRING.decode(in).intern(), STRING.decode(in).intern(),
          DECIMAL.decode(in), DECIMAL.decode(in), OPTIONAL.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
