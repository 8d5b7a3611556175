package dev.millrace.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Reading from Kinesis (with --source=kinesis). Region and credentials are Beam's AWS options
 * (--awsRegion, the default credential chain); secrets never go in options.
 */
public interface KinesisSourceOptions extends PipelineOptions {
  @Description("Kinesis: the stream to read (with --source=kinesis).")
  @TemplateParameter(label = "Kinesis stream", example = "clicks", regexes = {ValuePatterns.STREAM_NAME})
  String getStream();

  void setStream(String stream);

  @Description("Kinesis: where to start reading: LATEST, TRIM_HORIZON, or an ISO-8601 instant.")
  @Default.String("TRIM_HORIZON")
  @TemplateParameter(label = "Initial position", example = "TRIM_HORIZON", regexes = {"LATEST|TRIM_HORIZON|" + ValuePatterns.INSTANT})
  String getInitialPosition();

  void setInitialPosition(String initialPosition);

  @Description("Kinesis: stop after this many records; 0 = no limit. A bounded run (tests, backfills), or with "
      + "--streaming=true a streaming job whose watermark goes to the end once the records are read, so that every "
      + "window is final and the job ends (on every runner; Spark streams unbounded input only).")
  @Default.Long(0)
  @TemplateParameter(label = "Records to read (bounded run)", example = "20000", regexes = {"[0-9]+"})
  long getMaxRecords();

  void setMaxRecords(long maxRecords);

  @Description("Kinesis: stop after reading for this long, e.g. 10m (a bounded run); empty = no limit.")
  @TemplateParameter(label = "Read time (bounded run)", example = "10m", regexes = {ValuePatterns.DURATION})
  String getMaxReadTime();

  void setMaxReadTime(String maxReadTime);

  @Description(
      "Synthetic and Kinesis: the most an out-of-order event lags; the watermark lags by this much.")
  @Default.String("30s")
  @TemplateParameter(label = "Maximum out-of-orderness", example = "30s", regexes = {ValuePatterns.DURATION})
  String getMaxOutOfOrderness();

  void setMaxOutOfOrderness(String maxOutOfOrderness);

  @Description("Kinesis: after this long without records, a shard stops holding the watermark back.")
  @Default.String("1m")
  @TemplateParameter(label = "Shard idle timeout", example = "1m", regexes = {ValuePatterns.DURATION})
  String getIdleTimeout();

  void setIdleTimeout(String idleTimeout);

  @Description(
      "Kinesis: an endpoint for Kinesis alone, e.g. http://127.0.0.1:4568 for the local emulator "
          + "(--endpoint would apply to S3 too). Empty: --endpoint, or AWS.")
  @TemplateParameter(label = "Kinesis endpoint", example = "http://127.0.0.1:4568", regexes = {ValuePatterns.ENDPOINT})
  String getKinesisEndpoint();

  void setKinesisEndpoint(String kinesisEndpoint);
}
