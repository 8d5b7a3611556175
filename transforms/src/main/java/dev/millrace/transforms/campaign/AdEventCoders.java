package dev.millrace.transforms.campaign;

import dev.millrace.model.DecimalCoder;
import dev.millrace.model.FieldFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.joda.time.Instant;

/**
 * Compact coders of the ad events: every one is on the hot path from the parser through both joins.
 * Impressions and clicks (most of the records) are one {@link FieldFrame} each.
 */
public final class AdEventCoders {
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final InstantCoder INSTANT = InstantCoder.of();

  private AdEventCoders() {}

  /** The schema coder of an output row type (its Parquet schema); a row type without one is a bug. */
  static <T> SchemaCoder<T> rowCoder(Pipeline pipeline, Class<T> rowType) {
    try {
      return pipeline.getSchemaRegistry().getSchemaCoder(rowType);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  public static final class ImpressionCoder extends AtomicCoder<Impression> {
    private static final ImpressionCoder INSTANCE = new ImpressionCoder();

    public static ImpressionCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Impression value, OutputStream out) throws IOException {
      new FieldFrame.Writer()
          .string(value.impressionId())
          .varLong(value.eventTime().getMillis())
          .string(value.campaignId())
          .string(value.userId())
          .string(value.placement())
          .varLong(value.costMicros())
          .writeTo(out);
    }

    @Override
    public Impression decode(InputStream in) throws IOException {
      FieldFrame.Reader frame = FieldFrame.Reader.readFrom(in);
      return new Impression(frame.string(), new Instant(frame.varLong()), frame.string(), frame.string(),
          frame.string(), frame.varLong());
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
      write(value, new FieldFrame.Writer()).writeTo(out);
    }

    @Override
    public AdClick decode(InputStream in) throws IOException {
      return read(FieldFrame.Reader.readFrom(in));
    }

    static FieldFrame.Writer write(AdClick value, FieldFrame.Writer frame) {
      return frame
          .string(value.clickId())
          .varLong(value.eventTime().getMillis())
          .string(value.impressionId())
          .string(value.userId());
    }

    static AdClick read(FieldFrame.Reader frame) throws IOException {
      return new AdClick(frame.string(), new Instant(frame.varLong()), frame.string(), frame.string());
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
      AdClickCoder.write(value.click(), new FieldFrame.Writer()).string(value.campaignId()).writeTo(out);
    }

    @Override
    public AttributedClick decode(InputStream in) throws IOException {
      FieldFrame.Reader frame = FieldFrame.Reader.readFrom(in);
      return new AttributedClick(AdClickCoder.read(frame), frame.string());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
