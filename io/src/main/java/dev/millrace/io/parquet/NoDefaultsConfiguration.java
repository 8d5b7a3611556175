package dev.millrace.io.parquet;

import org.apache.hadoop.conf.Configuration;

/**
 * A Hadoop {@link Configuration} that does not load Hadoop's default resources ({@code
 * core-default.xml}, {@code core-site.xml}) for the Parquet sink, which writes through Beam's
 * channels and reads no Hadoop setting. Without one, Beam's {@code ParquetIO.Sink} makes a {@code new
 * Configuration()} for every file it opens, and each parses those XML files again: 7% of the CPU of a
 * log-analytics run that wrote 253 files. A top-level class with a public no-argument constructor,
 * because Beam's {@code SerializableConfiguration} re-creates it by name when the sink is deserialized.
 */
public final class NoDefaultsConfiguration extends Configuration {
  public NoDefaultsConfiguration() {
    super(false);
  }
}
