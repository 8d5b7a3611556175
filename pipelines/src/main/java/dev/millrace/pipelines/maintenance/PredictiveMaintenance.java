package dev.millrace.pipelines.maintenance;

import dev.millrace.io.deadletter.DeadLetterIO;
import dev.millrace.io.files.JsonLinesIO;
import dev.millrace.io.kinesis.KinesisRecordsIO;
import dev.millrace.io.parquet.FlushWindows;
import dev.millrace.io.parquet.PartitionedParquetIO;
import dev.millrace.io.parquet.Partitioning;
import dev.millrace.io.reference.ReferenceDataIO;
import dev.millrace.io.sensor.DeviceRegistries;
import dev.millrace.io.synthetic.SensorGenerator;
import dev.millrace.io.synthetic.SyntheticSensorConfig;
import dev.millrace.io.synthetic.SyntheticSensorIO;
import dev.millrace.model.Accounting;
import dev.millrace.model.RawRecord;
import dev.millrace.model.SensorReading;
import dev.millrace.model.SensorReadingCoder;
import dev.millrace.model.reference.Device;
import dev.millrace.model.reference.DeviceRegistry;
import dev.millrace.model.reference.ReferenceTable;
import dev.millrace.pipelines.options.Durations;
import dev.millrace.pipelines.options.KinesisSources;
import dev.millrace.pipelines.options.OptionChecks;
import dev.millrace.pipelines.options.Problem;
import dev.millrace.pipelines.options.RecordSources;
import dev.millrace.pipelines.options.TemplateWindowing;
import dev.millrace.transforms.dedup.DeduplicateById;
import dev.millrace.transforms.parse.ParseRecords;
import dev.millrace.transforms.reference.NewestTablePerBundle;
import dev.millrace.transforms.sensor.ConsecutiveWindowRuns;
import dev.millrace.transforms.sensor.DeviceHealth;
import dev.millrace.transforms.sensor.MaintenanceAlert;
import dev.millrace.transforms.sensor.Measures;
import dev.millrace.transforms.sensor.MeasuresFn;
import dev.millrace.transforms.sensor.MeasuresPerWindow;
import dev.millrace.transforms.sensor.SilenceDetector;
import dev.millrace.transforms.sensor.WindowMeasures;
import dev.millrace.transforms.window.Windowing;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * predictive-maintenance: machine sensor readings (synthetic, JSON lines or Kinesis) are parsed and
 * validated, de-duplicated by (device_id, event_time), summarized per device in sliding event-time
 * windows ({@code device_health}, with the device's site and model from the registry), and turned into
 * maintenance alerts: a single reading's vibration spike, runs of overheating or degrading windows, and
 * devices gone silent. Invalid records go to {@code dead_letter}.
 *
 * <pre>
 *   ReadReadings -> ParseReadings -> DeduplicateReadings -+-> CheckRegistry -> spikes ------------------------+
 *                                                         +-> HealthPerWindow -> ToDeviceHealth -> WriteHealth |
 *                                                         |        +-> overheat / degrading runs -------------+-> WriteAlerts
 *                                                         +-> SilencePerDevice -> ToOfflineAlerts ------------+
 *   ReadRegistry -> AsSideInput (CheckRegistry, ToDeviceHealth, ToOfflineAlerts)
 * </pre>
 */
public final class PredictiveMaintenance {
  public static final String NAME = "predictive-maintenance";
  public static final String DEVICE_HEALTH = "device_health";
  public static final String ALERTS = "alerts";
  /** Readings of devices not in the registry (processed into health rows, never alerted on). */
  public static final String UNREGISTERED = "unregistered";
  public static final String ALERTS_RAISED = "maintenance_alerts";

  /** The measures of a window, in {@link Measures} order. */
  static final int TEMPERATURE = 0;
  static final int VIBRATION = 1;
  static final int RPM = 2;

  private PredictiveMaintenance() {}

  /** Checks every option; one {@link IllegalArgumentException} with one line per problem. */
  public static void validate(PredictiveMaintenanceOptions options) {
    List<Problem> problems = new ArrayList<>();
    String source = options.getSource();
    RecordSources.check(options, true, "a path or glob of JSON-lines sensor reading files", problems);
    OptionChecks.checkReferenceFiles(options, "--registry", options.getRegistry(), source,
        "JSON lines or Parquet device registry", problems);
    OptionChecks.checkRefresh("--registryRefresh", options.getRegistryRefresh(), problems);
    OptionChecks.checkSlidingWindows(options.getWindowSize(), options.getWindowPeriod(), problems);
    OptionChecks.checkWindowing(options, problems);
    OptionChecks.checkDeduplication(options, problems);
    OptionChecks.checkDuration("--silence", options.getSilence(), true, problems);
    if (options.getOverheatWindows() < 1) {
      problems.add(new Problem("--overheatWindows", "must be >= 1, but was " + options.getOverheatWindows()));
    }
    if (options.getTrendMinReadings() < 1) {
      problems.add(new Problem("--trendMinReadings", "must be >= 1, but was " + options.getTrendMinReadings()));
    }
    if (!Double.isFinite(options.getTrendThreshold())) {
      problems.add(new Problem("--trendThreshold", "must be a number, but was " + options.getTrendThreshold()));
    }
    RecordSources.checkSynthetic(source, options, () -> syntheticConfig(options), problems);
    OptionChecks.checkOptionalStream("--alertsStream", options.getAlertsStream(), problems);
    OptionChecks.checkOutput(options, problems);
    Problem.throwIfAny(problems);
  }

  public static Pipeline build(PredictiveMaintenanceOptions options) {
    validate(options);
    Pipeline pipeline = Pipeline.create(options);
    PCollection<RawRecord> records = pipeline.apply("ReadReadings", source(options));
    PCollectionView<Iterable<DeviceRegistry>> registry =
        pipeline
            .apply("ReadRegistry", registry(options, RecordSources.reloadsReferenceData(records)))
            .apply("AsSideInput", View.asIterable());
    expand(records, registry, options);
    return pipeline;
  }

  public static PipelineResult run(PredictiveMaintenanceOptions options) {
    return build(options).run();
  }

  /** Every step after the sources: the seam through which tests feed in-memory records and registries. */
  public static PCollection<MaintenanceAlert> expand(
      PCollection<RawRecord> records, PCollectionView<Iterable<DeviceRegistry>> registry,
      PredictiveMaintenanceOptions options) {
    String output = options.getOutput();
    ErrorHandler<BadRecord, ?> deadLetters =
        records.getPipeline().registerBadRecordErrorHandler(
            DeadLetterIO.write().to(output).withNumShards(options.getNumShards()));
    Duration period = Durations.parse(options.getWindowPeriod());

    PCollection<SensorReading> readings =
        records
            .apply("ParseReadings",
                ParseRecords.sensorReadings(options.getMaxRecordBytes()).withBadRecordErrorHandler(deadLetters))
            .apply("DeduplicateReadings",
                DeduplicateById.of(SensorReading::readingId).withHorizon(
                    Durations.dedupRetention(options.getDedupHorizon(), options.getWindowSize(), options.getAllowedLateness())));

    PCollection<MaintenanceAlert> spikes =
        readings.apply("CheckRegistry", ParDo.of(new CheckRegistryFn(registry)).withSideInputs(registry));

    PCollectionTuple health =
        readings
            .apply("KeyByDevice", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(SensorReading.class)))
                .via((SensorReading r) -> KV.of(r.deviceId(), r)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SensorReadingCoder.of()))
            .apply("HealthPerWindow",
                MeasuresPerWindow.of(measures(),
                    TemplateWindowing.of(Windowing.sliding(Durations.parse(options.getWindowSize()), period), options)))
            .apply("ToDeviceHealth", ToDeviceHealth.with(registry, options));
    PCollection<DeviceHealth> rows = health.get(ToDeviceHealth.ROWS);
    rows.apply("WriteDeviceHealth",
        PartitionedParquetIO.<DeviceHealth>write().to(output).withDataset(DEVICE_HEALTH)
            .withPartitioning(Partitioning.byHour("window_start")).withNumShards(options.getNumShards()));

    KvCoder<String, DeviceHealth> markCoder = KvCoder.of(StringUtf8Coder.of(), schemaCoder(records.getPipeline()));
    PCollection<MaintenanceAlert> overheat =
        health.get(ToDeviceHealth.OVERHEATING).setCoder(markCoder)
            .apply("OverheatRuns", ConsecutiveWindowRuns.of(DeviceHealth::getWindowStart, period,
                options.getOverheatWindows()))
            .apply("ToOverheatAlerts", ParDo.of(new RunAlertFn(MaintenanceAlert.OVERHEAT, options.getOverheatWindows())));
    PCollection<MaintenanceAlert> degrading =
        health.get(ToDeviceHealth.DEGRADING).setCoder(markCoder)
            .apply("DegradingRuns", ConsecutiveWindowRuns.of(DeviceHealth::getWindowStart, period, 1))
            .apply("ToDegradingAlerts", ParDo.of(new RunAlertFn(MaintenanceAlert.DEGRADING, 1)));

    Duration silence = Durations.parse(options.getSilence());
    PCollection<MaintenanceAlert> offline =
        readings
            .apply("ReadingTimes", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(Instant.class)))
                .via((SensorReading r) -> KV.of(r.deviceId(), r.eventTime())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), InstantCoder.of()))
            .apply("SilencePerDevice", SilenceDetector.after(silence))
            .apply("ToOfflineAlerts",
                ParDo.of(new OfflineAlertFn(registry, silence, options.getSilence())).withSideInputs(registry));

    PCollection<MaintenanceAlert> alerts =
        PCollectionList.of(spikes).and(overheat).and(degrading).and(offline)
            .apply("AllAlerts", Flatten.pCollections())
            .setCoder(alertCoder(records.getPipeline()));
    alerts
        .apply("WindowByFlush", FlushWindows.<MaintenanceAlert>every(Duration.standardSeconds(10), alerts.isBounded()))
        .apply("WriteAlerts",
            PartitionedParquetIO.<MaintenanceAlert>write().to(output).withDataset(ALERTS)
                .withPartitioning(Partitioning.byHour("event_time")).withNumShards(options.getNumShards()));
    String alertsStream = options.getAlertsStream();
    if (alertsStream != null) {
      KinesisRecordsIO.Write publish =
          KinesisRecordsIO.write().withStreamName(alertsStream).withPartitionKeyField("device_id");
      if (options.getKinesisEndpoint() != null && !options.getKinesisEndpoint().isBlank()) {
        publish = publish.withEndpoint(options.getKinesisEndpoint());
      }
      alerts
          .apply("AlertsAsJson", MapElements.into(TypeDescriptors.strings()).via(MaintenanceAlert::toJson))
          .apply("PublishAlerts", publish);
    }
    try {
      deadLetters.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not close the dead-letter handler", e);
    }
    return alerts;
  }

  /** Temperature, vibration and rpm per window, with vibration's trend against event time. */
  static MeasuresFn<SensorReading> measures() {
    return MeasuresFn.<SensorReading>of(SensorReading::temperatureC, SensorReading::vibrationMmS, SensorReading::rpm)
        .withTrend(VIBRATION, SensorReading::eventTime);
  }

  private static SchemaCoder<DeviceHealth> schemaCoder(Pipeline pipeline) {
    try {
      return pipeline.getSchemaRegistry().getSchemaCoder(DeviceHealth.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SchemaCoder<MaintenanceAlert> alertCoder(Pipeline pipeline) {
    try {
      return pipeline.getSchemaRegistry().getSchemaCoder(MaintenanceAlert.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Counts readings of unregistered devices; a registered device's reading above 2x its max vibration is a spike. */
  static final class CheckRegistryFn extends DoFn<SensorReading, MaintenanceAlert> {
    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    private final NewestTablePerBundle<DeviceRegistry> registry;
    private final Counter unregistered = Accounting.counter(UNREGISTERED);
    private final Counter raised = Accounting.counter(ALERTS_RAISED);

    CheckRegistryFn(PCollectionView<Iterable<DeviceRegistry>> registry) {
      this.registry = NewestTablePerBundle.of(registry);
    }

    @StartBundle
    public void startBundle() {
      registry.startBundle();
    }

    @ProcessElement
    public void process(@Element SensorReading reading, BoundedWindow window, ProcessContext context) {
      DeviceRegistry devices = registry.in(context, window);
      Device device = devices == null ? null : devices.get(reading.deviceId());
      if (device == null) {
        unregistered.inc();
        return;
      }
      BigDecimal limit = device.maxVibrationMmS().multiply(TWO);
      if (reading.vibrationMmS().compareTo(limit) > 0) {
        raised.inc();
        context.output(MaintenanceAlert.of(reading.deviceId(), MaintenanceAlert.VIBRATION_SPIKE, reading.eventTime(),
            device, "vibration " + reading.vibrationMmS().toPlainString() + " mm/s > 2 x max "
                + device.maxVibrationMmS().toPlainString() + " mm/s"));
      }
    }
  }

  /**
   * Window measures to device_health rows (with site and model), and the windows that breach a rule,
   * keyed by device: overheating (exact mean temperature above the device's max) and degrading (enough
   * readings and a vibration slope above the threshold). Registered devices only breach.
   */
  static final class ToDeviceHealth extends PTransform<PCollection<WindowMeasures>, PCollectionTuple> {
    static final TupleTag<DeviceHealth> ROWS = new TupleTag<>() {};
    static final TupleTag<KV<String, DeviceHealth>> OVERHEATING = new TupleTag<>() {};
    static final TupleTag<KV<String, DeviceHealth>> DEGRADING = new TupleTag<>() {};

    private final PCollectionView<Iterable<DeviceRegistry>> registry;
    private final int trendMinReadings;
    private final double trendThreshold;

    private ToDeviceHealth(PCollectionView<Iterable<DeviceRegistry>> registry, int trendMinReadings,
        double trendThreshold) {
      this.registry = registry;
      this.trendMinReadings = trendMinReadings;
      this.trendThreshold = trendThreshold;
    }

    static ToDeviceHealth with(PCollectionView<Iterable<DeviceRegistry>> registry,
        PredictiveMaintenanceOptions options) {
      return new ToDeviceHealth(registry, options.getTrendMinReadings(), options.getTrendThreshold());
    }

    @Override
    public PCollectionTuple expand(PCollection<WindowMeasures> windows) {
      PCollectionTuple out =
          windows.apply("RowsAndBreaches",
              ParDo.of(new RowFn(registry, trendMinReadings, trendThreshold))
                  .withSideInputs(registry)
                  .withOutputTags(ROWS, TupleTagList.of(OVERHEATING).and(DEGRADING)));
      SchemaCoder<DeviceHealth> coder = schemaCoder(windows.getPipeline());
      out.get(ROWS).setCoder(coder);
      out.get(OVERHEATING).setCoder(KvCoder.of(StringUtf8Coder.of(), coder));
      out.get(DEGRADING).setCoder(KvCoder.of(StringUtf8Coder.of(), coder));
      return out;
    }

    static final class RowFn extends DoFn<WindowMeasures, DeviceHealth> {
      private final PCollectionView<Iterable<DeviceRegistry>> registry;
      private final int trendMinReadings;
      private final double trendThreshold;

      RowFn(PCollectionView<Iterable<DeviceRegistry>> registry, int trendMinReadings, double trendThreshold) {
        this.registry = registry;
        this.trendMinReadings = trendMinReadings;
        this.trendThreshold = trendThreshold;
      }

      @ProcessElement
      public void process(@Element WindowMeasures window, ProcessContext context) {
        DeviceRegistry devices = ReferenceTable.newest(context.sideInput(registry));
        Device device = devices == null ? null : devices.get(window.key());
        Measures m = window.measures();
        DeviceHealth row = DeviceHealth.builder()
            .setDeviceId(window.key())
            .setWindowStart(window.windowStart())
            .setWindowEnd(window.windowEnd())
            .setReadings(m.count())
            .setAvgTemperatureC(m.mean(TEMPERATURE))
            .setMaxTemperatureC(m.max(TEMPERATURE))
            .setAvgVibrationMmS(m.mean(VIBRATION))
            .setMaxVibrationMmS(m.max(VIBRATION))
            .setAvgRpm(m.mean(RPM))
            .setVibrationSlope(m.slopePerMinute())
            .setSite(device == null ? null : device.site())
            .setModel(device == null ? null : device.model())
            .setPaneIndex(window.paneIndex())
            .setPaneTiming(window.paneTiming())
            .build();
        context.output(row);
        if (device == null) {
          return;
        }
        if (m.meanAbove(TEMPERATURE, device.maxTemperatureC())) {
          context.output(OVERHEATING, KV.of(window.key(), row));
        }
        Double slope = m.slopePerMinute();
        if (m.count() >= trendMinReadings && slope != null && slope > trendThreshold) {
          context.output(DEGRADING, KV.of(window.key(), row));
        }
      }
    }
  }

  /** The window at which a run of breaching windows alerts: an alert as of that window's end. */
  static final class RunAlertFn extends DoFn<KV<String, DeviceHealth>, MaintenanceAlert> {
    private final String kind;
    private final int windows;
    private final Counter raised = Accounting.counter(ALERTS_RAISED);

    RunAlertFn(String kind, int windows) {
      this.kind = kind;
      this.windows = windows;
    }

    @ProcessElement
    public void process(@Element KV<String, DeviceHealth> run, OutputReceiver<MaintenanceAlert> out) {
      DeviceHealth w = run.getValue();
      String detail = MaintenanceAlert.OVERHEAT.equals(kind)
          ? String.format("avg temperature above the device's max in %d consecutive windows; window %s-%s avg %.3f C",
              windows, w.getWindowStart(), w.getWindowEnd(), w.getAvgTemperatureC())
          : String.format("vibration slope %.4f mm/s per minute over %d readings in window %s-%s",
              w.getVibrationSlope(), w.getReadings(), w.getWindowStart(), w.getWindowEnd());
      raised.inc();
      out.output(MaintenanceAlert.of(w.getDeviceId(), kind, w.getWindowEnd(), w.getSite(), w.getModel(), detail));
    }
  }

  /** A silence of a registered device: an offline alert as of last reading + silence. */
  static final class OfflineAlertFn extends DoFn<KV<String, Instant>, MaintenanceAlert> {
    private final PCollectionView<Iterable<DeviceRegistry>> registry;
    private final Duration silence;
    private final String silenceText;
    private final Counter raised = Accounting.counter(ALERTS_RAISED);

    OfflineAlertFn(PCollectionView<Iterable<DeviceRegistry>> registry, Duration silence, String silenceText) {
      this.registry = registry;
      this.silence = silence;
      this.silenceText = silenceText;
    }

    @ProcessElement
    public void process(@Element KV<String, Instant> silent, ProcessContext context) {
      DeviceRegistry devices = ReferenceTable.newest(context.sideInput(registry));
      Device device = devices == null ? null : devices.get(silent.getKey());
      if (device == null) {
        return;
      }
      raised.inc();
      context.output(MaintenanceAlert.of(silent.getKey(), MaintenanceAlert.OFFLINE, silent.getValue().plus(silence),
          device, "no reading for more than " + silenceText + " after " + silent.getValue()));
    }
  }

  static PTransform<PBegin, PCollection<RawRecord>> source(PredictiveMaintenanceOptions options) {
    if ("file".equals(options.getSource())) {
      return JsonLinesIO.read().from(options.getInput());
    }
    if ("kinesis".equals(options.getSource())) {
      return KinesisSources.read(options);
    }
    SyntheticSensorIO read = SyntheticSensorIO.read(syntheticConfig(options), options.getMaxEvents());
    return RecordSources.startsWhenRead(options) ? read.startingWhenRead() : read;
  }

  static ReferenceDataIO<DeviceRegistry> registry(PredictiveMaintenanceOptions options, boolean streaming) {
    String files = options.getRegistry();
    ReferenceDataIO<DeviceRegistry> read;
    if (files == null || files.isBlank()) {
      SyntheticSensorConfig config = syntheticConfig(options);
      read = DeviceRegistries.of(() -> new SensorGenerator(config).registry(),
          "synthetic (" + config.devices() + " devices)");
    } else {
      read = DeviceRegistries.fromFiles(files);
    }
    return streaming ? read.withRefresh(Durations.parse(options.getRegistryRefresh())) : read;
  }

  /** The synthetic source's configuration (also used to write synthetic files). */
  public static SyntheticSensorConfig syntheticConfig(PredictiveMaintenanceOptions options) {
    SyntheticSensorConfig config = SyntheticSensorConfig.defaults();
    try {
      return config.withSeed(options.getSeed()).withEventsPerSecond(options.getRate())
          .withDevices(options.getSyntheticDevices())
          .withStartTime(RecordSources.startTime(options, config.startTime()))
          .withDuplicateFraction(options.getDuplicateFraction())
          .withMalformedFraction(options.getMalformedFraction());
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith("--") ? e : RecordSources.asOptionProblem(e);
    }
  }
}
