package dev.millrace.pipelines.patients;

import dev.millrace.io.deadletter.DeadLetterIO;
import dev.millrace.io.files.JsonLinesIO;
import dev.millrace.io.kinesis.KinesisRecordsIO;
import dev.millrace.io.parquet.FlushWindows;
import dev.millrace.io.parquet.PartitionedParquetIO;
import dev.millrace.io.parquet.Partitioning;
import dev.millrace.io.reference.ReferenceDataIO;
import dev.millrace.io.sensor.PatientRegistries;
import dev.millrace.io.synthetic.SyntheticVitalsConfig;
import dev.millrace.io.synthetic.SyntheticVitalsIO;
import dev.millrace.io.synthetic.VitalsGenerator;
import dev.millrace.model.Accounting;
import dev.millrace.model.RawRecord;
import dev.millrace.model.VitalsReading;
import dev.millrace.model.reference.Patient;
import dev.millrace.model.reference.PatientRegistry;
import dev.millrace.model.reference.ReferenceTable;
import dev.millrace.pipelines.options.Durations;
import dev.millrace.pipelines.options.KinesisSources;
import dev.millrace.pipelines.options.OptionChecks;
import dev.millrace.pipelines.options.Problem;
import dev.millrace.pipelines.options.RecordSources;
import dev.millrace.pipelines.options.TemplateWindowing;
import dev.millrace.transforms.dedup.DeduplicateById;
import dev.millrace.transforms.parse.ParseRecords;
import dev.millrace.transforms.parse.Rejection;
import dev.millrace.transforms.reference.NewestTablePerBundle;
import dev.millrace.transforms.sensor.CaregiverNotification;
import dev.millrace.transforms.sensor.ConsecutiveWindowRuns;
import dev.millrace.transforms.sensor.GeofenceTransitions;
import dev.millrace.transforms.sensor.Haversine;
import dev.millrace.transforms.sensor.Measures;
import dev.millrace.transforms.sensor.MeasuresFn;
import dev.millrace.transforms.sensor.MeasuresPerWindow;
import dev.millrace.transforms.sensor.SilenceDetector;
import dev.millrace.transforms.sensor.VitalsStats;
import dev.millrace.transforms.sensor.WindowMeasures;
import dev.millrace.transforms.window.Windowing;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
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
 * patient-monitoring: wearable vitals with location (synthetic, JSON lines or Kinesis) are parsed,
 * validated against the contract and the patient registry (an unknown patient is a dead letter),
 * de-duplicated by (patient_id, event_time), located against the patient's home (haversine), summarized
 * per patient in sliding event-time windows ({@code vitals_stats}) and turned into caregiver
 * notifications: leaving and returning to the safe zone, sustained tachycardia, low SpO2, a silent device.
 * It is composed of the predictive-maintenance transforms ({@link MeasuresPerWindow}, {@link
 * ConsecutiveWindowRuns}, {@link SilenceDetector}) plus {@link GeofenceTransitions}.
 *
 * <pre>
 *   ReadVitals -> ParseVitals (+ registry) -> DeduplicateVitals -> Locate -+-> VitalsPerWindow -> ToVitalsStats -> WriteVitalsStats
 *                                                                        |        +-> TachycardiaRuns / LowSpo2Runs --------+
 *                                                                        +-> GeofenceTransitions ---------------------------+-> AddCaregiver -> WriteNotifications
 *                                                                        +-> SilencePerPatient -----------------------------+
 * </pre>
 */
public final class PatientMonitoring {
  public static final String NAME = "patient-monitoring";
  public static final String VITALS_STATS = "vitals_stats";
  public static final String NOTIFICATIONS = "notifications";
  public static final String UNKNOWN_PATIENT = "unknown_patient";
  public static final String NOTIFICATIONS_RAISED = "notifications_raised";
  /** Readings whose patient left the registry (a streaming reload) between parsing and locating: not windowed. */
  public static final String UNLOCATED = "unlocated_readings";

  /** The measures of a window, in {@link Measures} order. */
  static final int HEART_RATE = 0;
  static final int SPO2 = 1;
  static final int DISTANCE = 2;

  private PatientMonitoring() {}

  /** Checks every option; one {@link IllegalArgumentException} with one line per problem. */
  public static void validate(PatientMonitoringOptions options) {
    List<Problem> problems = new ArrayList<>();
    String source = options.getSource();
    RecordSources.check(options, true, "a path or glob of JSON-lines vitals files", problems);
    OptionChecks.checkReferenceFiles(options, "--registry", options.getRegistry(), source,
        "JSON lines or Parquet patient registry", problems);
    OptionChecks.checkRefresh("--registryRefresh", options.getRegistryRefresh(), problems);
    OptionChecks.checkSlidingWindows(options.getWindowSize(), options.getWindowPeriod(), problems);
    OptionChecks.checkWindowing(options, problems);
    OptionChecks.checkDeduplication(options, problems);
    OptionChecks.checkDuration("--silence", options.getSilence(), true, problems);
    if (options.getTachycardiaWindows() < 1) {
      problems.add(new Problem("--tachycardiaWindows", "must be >= 1, but was " + options.getTachycardiaWindows()));
    }
    if (options.getSpo2MinReadings() < 1) {
      problems.add(new Problem("--spo2MinReadings", "must be >= 1, but was " + options.getSpo2MinReadings()));
    }
    if (!Double.isFinite(options.getSpo2Threshold())) {
      problems.add(new Problem("--spo2Threshold", "must be a number, but was " + options.getSpo2Threshold()));
    }
    RecordSources.checkSynthetic(source, options, () -> syntheticConfig(options), problems);
    OptionChecks.checkOptionalStream("--notificationsStream", options.getNotificationsStream(), problems);
    OptionChecks.checkOutput(options, problems);
    Problem.throwIfAny(problems);
  }

  public static Pipeline build(PatientMonitoringOptions options) {
    validate(options);
    Pipeline pipeline = Pipeline.create(options);
    PCollection<RawRecord> records = pipeline.apply("ReadVitals", source(options));
    PCollectionView<Iterable<PatientRegistry>> registry =
        pipeline
            .apply("ReadRegistry", registry(options, RecordSources.reloadsReferenceData(records)))
            .apply("AsSideInput", View.asIterable());
    expand(records, registry, options);
    return pipeline;
  }

  public static PipelineResult run(PatientMonitoringOptions options) {
    return build(options).run();
  }

  /** Every step after the sources: the seam through which tests feed in-memory records and registries. */
  public static PCollection<CaregiverNotification> expand(
      PCollection<RawRecord> records, PCollectionView<Iterable<PatientRegistry>> registry,
      PatientMonitoringOptions options) {
    String output = options.getOutput();
    Pipeline pipeline = records.getPipeline();
    ErrorHandler<BadRecord, ?> deadLetters =
        pipeline.registerBadRecordErrorHandler(DeadLetterIO.write().to(output).withNumShards(options.getNumShards()));
    Duration period = Durations.parse(options.getWindowPeriod());

    PCollection<KV<String, LocatedVitals>> located =
        records
            .apply("ParseVitals",
                ParseRecords.vitals(options.getMaxRecordBytes())
                    .withReferenceCheck(registry, PatientMonitoring::registered)
                    .withBadRecordErrorHandler(deadLetters))
            .apply("DeduplicateVitals",
                DeduplicateById.of(VitalsReading::readingId).withHorizon(
                    Durations.dedupRetention(options.getDedupHorizon(), options.getWindowSize(), options.getAllowedLateness())))
            .apply("Locate", ParDo.of(new LocateFn(registry)).withSideInputs(registry))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), LocatedVitals.Coder.of()));

    PCollectionTuple windows =
        located
            .apply("VitalsPerWindow",
                MeasuresPerWindow.of(measures(),
                    TemplateWindowing.of(Windowing.sliding(Durations.parse(options.getWindowSize()), period), options)))
            .apply("ToVitalsStats", ToVitalsStats.with(registry, options));
    windows.get(ToVitalsStats.ROWS)
        .apply("WriteVitalsStats",
            PartitionedParquetIO.<VitalsStats>write().to(output).withDataset(VITALS_STATS)
                .withPartitioning(Partitioning.byHour("window_start")).withNumShards(options.getNumShards()));

    int tachycardiaWindows = options.getTachycardiaWindows();
    String silenceText = options.getSilence();
    PCollection<CaregiverNotification> tachycardia =
        windows.get(ToVitalsStats.TACHYCARDIA)
            .apply("TachycardiaRuns", ConsecutiveWindowRuns.of(VitalsStats::getWindowStart, period,
                tachycardiaWindows))
            .apply("ToTachycardia", MapElements.into(TypeDescriptor.of(CaregiverNotification.class)).via(run ->
                pending(run.getKey(), CaregiverNotification.TACHYCARDIA, run.getValue().getWindowEnd(),
                    String.format("avg heart rate above the patient's max in %d consecutive windows; window %s-%s "
                        + "avg %.2f bpm", tachycardiaWindows, run.getValue().getWindowStart(),
                        run.getValue().getWindowEnd(), run.getValue().getAvgHeartRate()))));
    PCollection<CaregiverNotification> lowSpo2 =
        windows.get(ToVitalsStats.LOW_SPO2)
            .apply("LowSpo2Runs", ConsecutiveWindowRuns.of(VitalsStats::getWindowStart, period, 1))
            .apply("ToLowSpo2", MapElements.into(TypeDescriptor.of(CaregiverNotification.class)).via(run ->
                pending(run.getKey(), CaregiverNotification.LOW_SPO2, run.getValue().getWindowEnd(),
                    String.format("every one of %d readings in window %s-%s below the threshold; min %.1f%%",
                        run.getValue().getReadings(), run.getValue().getWindowStart(), run.getValue().getWindowEnd(),
                        run.getValue().getMinSpo2()))));

    PCollection<CaregiverNotification> zone =
        located
            .apply("InsideOrOut", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                    TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.booleans())))
                .via(kv -> KV.of(kv.getKey(), KV.of(kv.getValue().reading().eventTime().getMillis(),
                    kv.getValue().inside()))))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), BooleanCoder.of())))
            .apply("GeofenceTransitions", GeofenceTransitions.create())
            .apply("ToZoneNotifications", MapElements.into(TypeDescriptor.of(CaregiverNotification.class)).via(t ->
                pending(t.getKey(), t.getValue().getValue(), new Instant(t.getValue().getKey()),
                    GeofenceTransitions.LEFT.equals(t.getValue().getValue())
                        ? "a reading outside the safe zone" : "a reading back within the safe zone")));

    Duration silence = Durations.parse(options.getSilence());
    PCollection<CaregiverNotification> silent =
        located
            .apply("ReadingTimes", MapElements
                .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(Instant.class)))
                .via(kv -> KV.of(kv.getKey(), kv.getValue().reading().eventTime())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), InstantCoder.of()))
            .apply("SilencePerPatient", SilenceDetector.after(silence))
            .apply("ToSilentNotifications", MapElements.into(TypeDescriptor.of(CaregiverNotification.class)).via(s ->
                pending(s.getKey(), CaregiverNotification.DEVICE_SILENT, s.getValue().plus(silence),
                    "no reading for more than " + silenceText + " after " + s.getValue())));

    SchemaCoder<CaregiverNotification> notificationCoder = schemaCoder(pipeline, CaregiverNotification.class);
    PCollection<CaregiverNotification> notifications =
        PCollectionList.of(zone.setCoder(notificationCoder))
            .and(tachycardia.setCoder(notificationCoder))
            .and(lowSpo2.setCoder(notificationCoder))
            .and(silent.setCoder(notificationCoder))
            .apply("AllNotifications", Flatten.pCollections())
            .apply("AddCaregiver", ParDo.of(new AddCaregiverFn(registry)).withSideInputs(registry))
            .setCoder(notificationCoder);
    notifications
        .apply("WindowByFlush",
            FlushWindows.<CaregiverNotification>every(Duration.standardSeconds(10), notifications.isBounded()))
        .apply("WriteNotifications",
            PartitionedParquetIO.<CaregiverNotification>write().to(output).withDataset(NOTIFICATIONS)
                .withPartitioning(Partitioning.byHour("event_time")).withNumShards(options.getNumShards()));
    String stream = options.getNotificationsStream();
    if (stream != null) {
      KinesisRecordsIO.Write publish =
          KinesisRecordsIO.write().withStreamName(stream).withPartitionKeyField("patient_id");
      if (options.getKinesisEndpoint() != null && !options.getKinesisEndpoint().isBlank()) {
        publish = publish.withEndpoint(options.getKinesisEndpoint());
      }
      notifications
          .apply("NotificationsAsJson", MapElements.into(TypeDescriptors.strings()).via(CaregiverNotification::toJson))
          .apply("PublishNotifications", publish);
    }
    try {
      deadLetters.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not close the dead-letter handler", e);
    }
    return notifications;
  }

  /** Heart rate, SpO2 and distance from home per window. */
  static MeasuresFn<LocatedVitals> measures() {
    return MeasuresFn.of(LocatedVitals::heartRate, LocatedVitals::spo2, LocatedVitals::distance);
  }

  /** A notification before its caregiver is looked up. */
  static CaregiverNotification pending(String patient, String kind, Instant eventTime, String detail) {
    return CaregiverNotification.of(patient, kind, eventTime, "", detail);
  }

  /** The registry rule of the vitals contract: the patient must be in it. */
  static @Nullable Rejection registered(VitalsReading reading, Iterable<PatientRegistry> registries) {
    PatientRegistry patients = ReferenceTable.newest(registries);
    return patients != null && patients.get(reading.patientId()) != null
        ? null
        : new Rejection(UNKNOWN_PATIENT, "patient_id '" + reading.patientId() + "' is not in the patient registry");
  }

  static <T> SchemaCoder<T> schemaCoder(Pipeline pipeline, Class<T> type) {
    try {
      return pipeline.getSchemaRegistry().getSchemaCoder(type);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Distance from home (haversine) and whether it is within the safe radius (distance <= radius). */
  static final class LocateFn extends DoFn<VitalsReading, KV<String, LocatedVitals>> {
    private final NewestTablePerBundle<PatientRegistry> registry;
    private final Counter unlocated = Accounting.counter(UNLOCATED);

    LocateFn(PCollectionView<Iterable<PatientRegistry>> registry) {
      this.registry = NewestTablePerBundle.of(registry);
    }

    @StartBundle
    public void startBundle() {
      registry.startBundle();
    }

    @ProcessElement
    public void process(@Element VitalsReading reading, BoundedWindow window, ProcessContext context) {
      PatientRegistry patients = registry.in(context, window);
      Patient patient = patients == null ? null : patients.get(reading.patientId());
      if (patient == null) {
        // Checked when parsed; only a registry reloaded in between (streaming) can lack the patient now.
        unlocated.inc();
        return;
      }
      double distance = Haversine.meters(patient.homeLat(), patient.homeLon(), reading.lat(), reading.lon());
      context.output(KV.of(reading.patientId(), new LocatedVitals(reading, distance, distance <= patient.safeRadiusM())));
    }
  }

  /**
   * Window measures to vitals_stats rows, and the windows that breach a rule, keyed by patient:
   * tachycardia (exact mean heart rate above the patient's max) and low SpO2 (enough readings, every
   * one below the threshold).
   */
  static final class ToVitalsStats extends PTransform<PCollection<WindowMeasures>, PCollectionTuple> {
    static final TupleTag<VitalsStats> ROWS = new TupleTag<>() {};
    static final TupleTag<KV<String, VitalsStats>> TACHYCARDIA = new TupleTag<>() {};
    static final TupleTag<KV<String, VitalsStats>> LOW_SPO2 = new TupleTag<>() {};

    private final PCollectionView<Iterable<PatientRegistry>> registry;
    private final BigDecimal spo2Threshold;
    private final int spo2MinReadings;

    private ToVitalsStats(PCollectionView<Iterable<PatientRegistry>> registry, BigDecimal spo2Threshold,
        int spo2MinReadings) {
      this.registry = registry;
      this.spo2Threshold = spo2Threshold;
      this.spo2MinReadings = spo2MinReadings;
    }

    static ToVitalsStats with(PCollectionView<Iterable<PatientRegistry>> registry, PatientMonitoringOptions options) {
      return new ToVitalsStats(registry, BigDecimal.valueOf(options.getSpo2Threshold()), options.getSpo2MinReadings());
    }

    @Override
    public PCollectionTuple expand(PCollection<WindowMeasures> windows) {
      PCollectionTuple out =
          windows.apply("RowsAndBreaches",
              ParDo.of(new RowFn(registry, spo2Threshold, spo2MinReadings))
                  .withSideInputs(registry)
                  .withOutputTags(ROWS, TupleTagList.of(TACHYCARDIA).and(LOW_SPO2)));
      SchemaCoder<VitalsStats> coder = schemaCoder(windows.getPipeline(), VitalsStats.class);
      out.get(ROWS).setCoder(coder);
      out.get(TACHYCARDIA).setCoder(KvCoder.of(StringUtf8Coder.of(), coder));
      out.get(LOW_SPO2).setCoder(KvCoder.of(StringUtf8Coder.of(), coder));
      return out;
    }

    static final class RowFn extends DoFn<WindowMeasures, VitalsStats> {
      private final PCollectionView<Iterable<PatientRegistry>> registry;
      private final BigDecimal spo2Threshold;
      private final int spo2MinReadings;

      RowFn(PCollectionView<Iterable<PatientRegistry>> registry, BigDecimal spo2Threshold, int spo2MinReadings) {
        this.registry = registry;
        this.spo2Threshold = spo2Threshold;
        this.spo2MinReadings = spo2MinReadings;
      }

      @ProcessElement
      public void process(@Element WindowMeasures window, ProcessContext context) {
        Measures m = window.measures();
        VitalsStats row = VitalsStats.builder()
            .setPatientId(window.key())
            .setWindowStart(window.windowStart())
            .setWindowEnd(window.windowEnd())
            .setReadings(m.count())
            .setAvgHeartRate(m.mean(HEART_RATE))
            .setMaxHeartRate(m.max(HEART_RATE))
            .setMinSpo2(m.min(SPO2))
            .setAvgSpo2(m.mean(SPO2))
            .setMaxDistanceM(m.max(DISTANCE))
            .setPaneIndex(window.paneIndex())
            .setPaneTiming(window.paneTiming())
            .build();
        context.output(row);
        PatientRegistry patients = ReferenceTable.newest(context.sideInput(registry));
        Patient patient = patients == null ? null : patients.get(window.key());
        if (patient != null && m.meanAbove(HEART_RATE, patient.maxHeartRate())) {
          context.output(TACHYCARDIA, KV.of(window.key(), row));
        }
        if (m.count() >= spo2MinReadings && m.maxes().get(SPO2).compareTo(spo2Threshold) < 0) {
          context.output(LOW_SPO2, KV.of(window.key(), row));
        }
      }
    }
  }

  /** The patient's caregiver, from the registry as it is when the notification is made. */
  static final class AddCaregiverFn extends DoFn<CaregiverNotification, CaregiverNotification> {
    private final PCollectionView<Iterable<PatientRegistry>> registry;
    private final Counter raised = Accounting.counter(NOTIFICATIONS_RAISED);

    AddCaregiverFn(PCollectionView<Iterable<PatientRegistry>> registry) {
      this.registry = registry;
    }

    @ProcessElement
    public void process(@Element CaregiverNotification n, ProcessContext context) {
      PatientRegistry patients = ReferenceTable.newest(context.sideInput(registry));
      Patient patient = patients == null ? null : patients.get(n.getPatientId());
      raised.inc();
      context.output(CaregiverNotification.of(n.getPatientId(), n.getKind(), n.getEventTime(),
          patient == null ? "" : patient.caregiver(), n.getDetail()));
    }
  }

  static PTransform<PBegin, PCollection<RawRecord>> source(PatientMonitoringOptions options) {
    if ("file".equals(options.getSource())) {
      return JsonLinesIO.read().from(options.getInput());
    }
    if ("kinesis".equals(options.getSource())) {
      return KinesisSources.read(options);
    }
    SyntheticVitalsIO read = SyntheticVitalsIO.read(syntheticConfig(options), options.getMaxEvents());
    return RecordSources.startsWhenRead(options) ? read.startingWhenRead() : read;
  }

  static ReferenceDataIO<PatientRegistry> registry(PatientMonitoringOptions options, boolean streaming) {
    String files = options.getRegistry();
    ReferenceDataIO<PatientRegistry> read;
    if (files == null || files.isBlank()) {
      SyntheticVitalsConfig config = syntheticConfig(options);
      read = PatientRegistries.of(() -> new VitalsGenerator(config).registry(),
          "synthetic (" + config.patients() + " patients)");
    } else {
      read = PatientRegistries.fromFiles(files);
    }
    return streaming ? read.withRefresh(Durations.parse(options.getRegistryRefresh())) : read;
  }

  /** The synthetic source's configuration (also used to write synthetic files). */
  public static SyntheticVitalsConfig syntheticConfig(PatientMonitoringOptions options) {
    SyntheticVitalsConfig config = SyntheticVitalsConfig.defaults();
    try {
      return config.withSeed(options.getSeed()).withEventsPerSecond(options.getRate())
          .withPatients(options.getSyntheticPatients())
          .withStartTime(RecordSources.startTime(options, config.startTime()))
          .withDuplicateFraction(options.getDuplicateFraction())
          .withMalformedFraction(options.getMalformedFraction());
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith("--") ? e : RecordSources.asOptionProblem(e);
    }
  }
}
