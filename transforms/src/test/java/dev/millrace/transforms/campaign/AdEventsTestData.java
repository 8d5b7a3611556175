package dev.millrace.transforms.campaign;

import java.math.BigDecimal;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Ad events as short lines, so that one TestStream can carry all three streams in any arrival order:
 * {@code I id minute campaign user cost}, {@code C id minute impression user}, {@code V id minute user value};
 * a minute may carry milliseconds ({@code 30m+1}).
 */
final class AdEventsTestData {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private AdEventsTestData() {}

  static Instant time(String minute) {
    String[] parts = minute.split("m");
    Instant t = T0.plus(Duration.standardMinutes(Long.parseLong(parts[0])));
    return parts.length > 1 && !parts[1].isEmpty() ? t.plus(Duration.millis(Long.parseLong(parts[1]))) : t;
  }

  static TimestampedValue<String> event(String line) {
    return TimestampedValue.of(line, time(line.split(" ")[2]));
  }

  static PCollection<Impression> impressions(PCollection<String> lines) {
    return lines.apply("Impressions", Filter.by(l -> l.startsWith("I ")))
        .apply("ToImpressions", MapElements.into(TypeDescriptor.of(Impression.class)).via(l -> {
          String[] f = l.split(" ");
          return new Impression(f[1], time(f[2]), f[3], f[4], "feed", Long.parseLong(f[5]));
        })).setCoder(AdEventCoders.ImpressionCoder.of());
  }

  static PCollection<AdClick> clicks(PCollection<String> lines) {
    return lines.apply("Clicks", Filter.by(l -> l.startsWith("C ")))
        .apply("ToClicks", MapElements.into(TypeDescriptor.of(AdClick.class)).via(l -> {
          String[] f = l.split(" ");
          return new AdClick(f[1], time(f[2]), f[3], f[4]);
        })).setCoder(AdEventCoders.AdClickCoder.of());
  }

  static PCollection<Conversion> conversions(PCollection<String> lines) {
    return lines.apply("Conversions", Filter.by(l -> l.startsWith("V ")))
        .apply("ToConversions", MapElements.into(TypeDescriptor.of(Conversion.class)).via(l -> {
          String[] f = l.split(" ");
          return new Conversion(f[1], time(f[2]), f[3], new BigDecimal(f[4]));
        })).setCoder(AdEventCoders.ConversionCoder.of());
  }

  static StringUtf8Coder coder() {
    return StringUtf8Coder.of();
  }
}
