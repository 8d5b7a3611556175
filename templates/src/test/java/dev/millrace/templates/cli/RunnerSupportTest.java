package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.pipelines.clickstream.ClickstreamAnalytics;
import dev.millrace.pipelines.clickstream.ClickstreamAnalyticsOptions;
import dev.millrace.pipelines.fraud.FraudDetection;
import dev.millrace.pipelines.fraud.FraudDetectionOptions;
import dev.millrace.pipelines.maintenance.PredictiveMaintenance;
import dev.millrace.pipelines.maintenance.PredictiveMaintenanceOptions;
import dev.millrace.templates.catalog.Template;
import dev.millrace.templates.catalog.TemplateCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerSupportTest {
  static ClickstreamAnalyticsOptions options(String... args) {
    ClickstreamAnalyticsOptions options =
        PipelineOptionsFactory.fromArgs(args).as(ClickstreamAnalyticsOptions.class);
    options.setRunner(RunnerMatrix.SparkRunnerByName.class);
    return options;
  }

  @Test
  void everyTemplatesKinesisInputEndsWithItsRecordCountsAndNoTemplateClashesWithCampaignsOptions() {
    // Viewing another template's options as campaign-analytics' failed every Flink and Spark run
    // (dedupHorizon has other defaults): the check must ask only campaign-analytics' own.
    for (Template<?> template : TemplateCatalog.all()) {
      assertThat(RunnerSupport.kinesisInputEnds(OptionParsing.parse(template, new String[] {"--maxRecords=0"})))
          .as(template.name() + " without a count").isFalse();
      assertThat(RunnerSupport.kinesisInputEnds(OptionParsing.parse(template, new String[] {"--maxRecords=10"})))
          .as(template.name() + " with --maxRecords").isTrue();
    }
    Template<?> campaign = TemplateCatalog.find("campaign-analytics").orElseThrow();
    assertThat(RunnerSupport.kinesisInputEnds(OptionParsing.parse(campaign,
        new String[] {"--impressionsMaxRecords=5", "--clicksMaxRecords=2"}))).as("conversions read on").isFalse();
    assertThat(RunnerSupport.kinesisInputEnds(OptionParsing.parse(campaign,
        new String[] {"--impressionsMaxRecords=5", "--clicksMaxRecords=2", "--conversionsMaxRecords=1"}))).isTrue();
  }

  @Test
  void sparkRunsClickstreamUnboundedWithDeDuplicationOnWatermarkTicks() {
    ClickstreamAnalyticsOptions options = options("--maxEvents=0");
    Pipeline pipeline = ClickstreamAnalytics.build(options);
    assertThat(RunnerSupport.check(options, pipeline)).isNull();
    assertThat(stepNames(pipeline)).anyMatch(n -> n.startsWith("DeduplicateEvents/WatermarkTicks/"));
  }

  @Test
  void sparkRunsFraudDetectionUnboundedWithVelocityOnWatermarkTicks() {
    FraudDetectionOptions options =
        PipelineOptionsFactory.fromArgs("--maxEvents=0").as(FraudDetectionOptions.class);
    options.setRunner(RunnerMatrix.SparkRunnerByName.class);
    Pipeline pipeline = FraudDetection.build(options);
    assertThat(RunnerSupport.check(options, pipeline)).isNull();
    assertThat(stepNames(pipeline)).anyMatch(n -> n.startsWith("ScoreTransactions/VelocityPerCard/WatermarkTicks/"));
  }

  @Test
  void sparkRunsTheSensorTemplatesUnboundedWithRunsAndSilencesOnWatermarkTicks() {
    PredictiveMaintenanceOptions options =
        PipelineOptionsFactory.fromArgs("--maxEvents=0").as(PredictiveMaintenanceOptions.class);
    options.setRunner(RunnerMatrix.SparkRunnerByName.class);
    Pipeline pipeline = PredictiveMaintenance.build(options);
    assertThat(RunnerSupport.check(options, pipeline)).isNull();
    assertThat(stepNames(pipeline))
        .anyMatch(n -> n.startsWith("OverheatRuns/SweepOnWatermarkTicks/WatermarkTicks/"))
        .anyMatch(n -> n.startsWith("DegradingRuns/SweepOnWatermarkTicks/"))
        .anyMatch(n -> n.startsWith("SilencePerDevice/SweepOnWatermarkTicks/WatermarkTicks/CountSteps/"));
    assertThat(RunnerMatrix.sparkStreamingRefusal(template("patient-monitoring"))).isNull();
  }

  @Test
  void sparkRunsCampaignAnalyticsUnboundedWithBothJoinsInOneStepOnWatermarkTicks() {
    Template<?> template = template("campaign-analytics");
    assertThat(RunnerMatrix.sparkStreamingRefusal(template)).isNull();
    PipelineOptions options = OptionParsing.parse(template, new String[] {"--streaming=true", "--source=synthetic"});
    options.setRunner(RunnerMatrix.SparkRunnerByName.class);
    assertThat(stepNames(template.build(options)))
        .anyMatch(n -> n.startsWith("Attribute/AttributeOnWatermarkTicks/WatermarkTicks/"))
        .noneMatch(n -> n.startsWith("Attribute/AttributeClicks/"));
  }

  @Test
  void sparkRefusesAnUnboundedRunNamingTheStepsWithEventTimeTimers() {
    // No template has such a step left; a step a user adds would be refused like this one.
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(RunnerMatrix.SparkRunnerByName.class);
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply(GenerateSequence.from(0))
        .apply(WithKeys.of("k"))
        .apply("RemindLater", ParDo.of(new EventTimeReminderFn()));
    assertThat(RunnerSupport.check(options, pipeline))
        .contains("cannot run this pipeline unbounded")
        .contains("RemindLater uses them")
        .contains("--runner=FlinkRunner");
  }

  static final class EventTimeReminderFn extends DoFn<KV<String, Long>, Long> {
    @TimerId("remind")
    private final TimerSpec remindSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @ProcessElement
    public void process(@Element KV<String, Long> element, @TimerId("remind") Timer remind) {
      remind.offset(Duration.standardMinutes(1)).setRelative();
    }

    @OnTimer("remind")
    public void onRemind(OutputReceiver<Long> out) {
      out.output(1L);
    }
  }

  /** Spark would resume from an earlier run's checkpoint, and its resume is not exact: refused. */
  @Test
  void aSparkCheckpointOfAnEarlierRunIsRefusedAndANewOrEmptyDirectoryIsNot(@TempDir Path dir) throws Exception {
    assertThat(RunnerSupport.sparkCheckpointRefusal(dir.resolve("new").toString())).isNull();
    Files.createDirectories(dir.resolve("spark-checkpoint"));
    assertThat(RunnerSupport.sparkCheckpointRefusal(dir.toString())).as("an empty one").isNull();
    Files.writeString(dir.resolve("spark-checkpoint").resolve("checkpoint-1796314742000"), "x");
    for (String given : List.of(dir.toString(), "file:" + dir, "file://" + dir)) {
      assertThat(RunnerSupport.sparkCheckpointRefusal(given)).as(given)
          .contains("holds the checkpoint of an earlier Spark streaming run")
          .contains("28 of 2,059 page_stats rows")
          .contains("--runner=FlinkRunner");
    }
    assertThat(RunnerSupport.sparkCheckpointRefusal("hdfs://namenode/checkpoints")).as("not this CLI's to read").isNull();
  }

  static Template<?> template(String name) {
    return TemplateCatalog.find(name).orElseThrow();
  }

  @Test
  void theSameUnboundedPipelineOnFlinkKeepsItsTimers() {
    ClickstreamAnalyticsOptions options = options("--maxEvents=0");
    options.setRunner(org.apache.beam.runners.direct.DirectRunner.class);
    Pipeline pipeline = ClickstreamAnalytics.build(options);
    assertThat(RunnerSupport.stepsWithEventTimeTimers(pipeline)).containsExactly("DeduplicateEvents");
    assertThat(stepNames(pipeline)).noneMatch(n -> n.contains("WatermarkTicks"));
  }

  @Test
  void theDirectRunnerReadsAKinesisStreamAsASplittableDoFnUnlessTheUserChoseARead() {
    assertThat(experimentsOnDirect(KINESIS, "--stream=s", "--streaming=true", ENDPOINT)).containsExactly("use_sdf_read");
    assertThat(experimentsOnDirect(KINESIS, "--stream=s", "--streaming=true", ENDPOINT,
        "--experiments=use_deprecated_read")).containsExactly("use_deprecated_read");
    assertThat(experimentsOnDirect("--maxEvents=0")).as("the synthetic stream").isNull();
    assertThat(experimentsOnDirect("--maxEvents=100")).as("bounded").isNull();

    ClickstreamAnalyticsOptions spark = options(KINESIS, "--stream=s", "--streaming=true", ENDPOINT);
    RunnerSupport.readKinesisAsSplittableOnDirect(spark, ClickstreamAnalytics.build(spark));
    assertThat(spark.as(ExperimentalOptions.class).getExperiments()).isNull();
  }

  static final String KINESIS = "--source=kinesis";
  /** Building a Kinesis read needs an endpoint (or an AWS region), not a server. */
  static final String ENDPOINT = "--kinesisEndpoint=http://127.0.0.1:4568";

  /** The experiments a clickstream-analytics job with {@code args} runs with on the DirectRunner. */
  static List<String> experimentsOnDirect(String... args) {
    ClickstreamAnalyticsOptions options = options(args);
    options.setRunner(org.apache.beam.runners.direct.DirectRunner.class);
    RunnerSupport.readKinesisAsSplittableOnDirect(options, ClickstreamAnalytics.build(options));
    return options.as(ExperimentalOptions.class).getExperiments();
  }

  static List<String> stepNames(Pipeline pipeline) {
    List<String> names = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
          }
        });
    return names;
  }

  @Test
  void aBoundedRunAskedToStreamOnSparkRunsAsABatchJobWithANote() {
    // Spark's streaming mode has nothing to stream from bounded input ("No output operations registered").
    ClickstreamAnalyticsOptions options = options("--maxEvents=1000", "--streaming=true");
    Pipeline pipeline = ClickstreamAnalytics.build(options);
    assertThat(RunnerSupport.boundedRunsAsBatch(options, pipeline)).contains("runs this as a batch job");
    assertThat(options.as(org.apache.beam.sdk.options.StreamingOptions.class).isStreaming()).isFalse();
    assertThat(RunnerSupport.endOfInput(options, pipeline)).isNull();

    ClickstreamAnalyticsOptions unbounded = options("--maxEvents=0", "--streaming=true");
    assertThat(RunnerSupport.boundedRunsAsBatch(unbounded, ClickstreamAnalytics.build(unbounded))).isNull();
    assertThat(unbounded.as(org.apache.beam.sdk.options.StreamingOptions.class).isStreaming()).isTrue();
  }

  @Test
  void sparkAcceptsABoundedRun() {
    ClickstreamAnalyticsOptions options = options("--maxEvents=100");
    assertThat(RunnerSupport.check(options, ClickstreamAnalytics.build(options))).isNull();
  }

  @Test
  void aJobOutOfHeapGetsTheHeapItHadAndHowToGiveItMore() {
    assertThat(RunnerSupport.failureHint("OutOfMemoryError: Java heap space"))
        .contains(String.format("%,d MB", Runtime.getRuntime().maxMemory() >> 20))
        .contains("MILLRACE_JAVA_OPTS=-Xmx8g");
    assertThat(RunnerSupport.failureHint("OutOfMemoryError: Metaspace")).isNull();
  }

  // Found by hand: a submission to a cluster that was not there retried for a minute, in 869 lines.
  @Test
  void aClusterThatDoesNotAnswerIsSaidAtOnce() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    assertThat(RunnerSupport.unreachable("--flinkMaster", "127.0.0.1:" + closedPort, "start it"))
        .startsWith("--flinkMaster: nothing answers at 127.0.0.1:" + closedPort + " (")
        .endsWith("); start it");
    assertThat(RunnerSupport.unreachable("--sparkMaster", "spark://127.0.0.1:" + closedPort, "x")).isNotNull();
    try (java.net.ServerSocket open = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(RunnerSupport.unreachable("--flinkMaster", "127.0.0.1:" + open.getLocalPort(), "x")).isNull();
      assertThat(RunnerSupport.unreachable("--flinkMaster", "http://127.0.0.1:" + open.getLocalPort(), "x")).isNull();
    }
    // Embedded clusters have no address.
    for (String embedded : List.of("[local]", "[auto]", "local[2]", "local[*]", "local")) {
      assertThat(RunnerSupport.unreachable("--master", embedded, "x")).as(embedded).isNull();
    }
  }
}
