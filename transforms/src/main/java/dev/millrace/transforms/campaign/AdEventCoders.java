package dev.millrace.transforms.campaign;

import dev.millrace.model.DecimalCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Compact coders of the ad events: every one is on the hot path from the parser through both joins. */
public final class AdEventCoders {
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final InstantCoder INSTANT = InstantCoder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();

  private AdEventCoders() {}

  public static final class ImpressionCoder extends AtomicCoder<Impression> {
    private static final ImpressionCoder INSTANCE = new ImpressionCoder();

    public static ImpressionCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Impression value, OutputStream out) throws IOException {
      STRING.encode(value.impressionId(), out);
      INSTANT.encode(value.eventTime(), out);
      STRING.encode(value.campaignId(), out);
      STRING.encode(value.userId(), out);
      STRING.encode(value.placement(), out);
      LONG.encode(value.costMicros(), out);
    }

    @Override
    public Impression decode(InputStream in) throws IOException {
      return new Impression(STRING.decode(in), INSTANT.decode(in), STRING.decode(in), STRING.decode(in),
          STRING.decode(in), LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  public static final class AdClickCoder extends AtomicCoder<AdClick> {
    private static final AdClickCoder INSTANCE = new AdClickCoder();

    public static AdClickCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(AdClick value, OutputStream out) throws IOException {
      STRING.encode(value.clickId(), out);
      INSTANT.encode(value.eventTime(), out);
      STRING.encode(value.impressionId(), out);
      STRING.encode(value.userId(), out);
    }

    @Override
    public AdClick decode(InputStream in) throws IOException {
      return new AdClick(STRING.decode(in), INSTANT.decode(in), STRING.decode(in), STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  public static final class ConversionCoder extends AtomicCoder<Conversion> {
    private static final ConversionCoder INSTANCE = new ConversionCoder();

    public static ConversionCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Conversion value, OutputStream out) throws IOException {
      STRING.encode(value.conversionId(), out);
      INSTANT.encode(value.eventTime(), out);
      STRING.encode(value.userId(), out);
      DecimalCoder.of().encode(value.orderValue(), out);
    }

    @Override
    public Conversion decode(InputStream in) throws IOException {
      return new Conversion(STRING.decode(in), INSTANT.decode(in), STRING.decode(in), DecimalCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  public static final class AttributedClickCoder extends AtomicCoder<AttributedClick> {
    private static final AttributedClickCoder INSTANCE = new AttributedClickCoder();

    public static AttributedClickCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(AttributedClick value, OutputStream out) throws IOException {
      AdClickCoder.of().encode(value.click(), out);
      STRING.encode(value.campaignId(), out);
    }

    @Override
    public AttributedClick decode(InputStream in) throws IOException {
      return new AttributedClick(AdClickCoder.of().decode(in), STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
