package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.pipelines.options.TemplateMetadata;
import dev.millrace.pipelines.options.TemplateParameter;
import dev.millrace.templates.catalog.Template;
import dev.millrace.templates.catalog.TemplateCatalog;
import dev.millrace.templates.catalog.TemplateDocs;
import dev.millrace.testing.LocalServers;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.Description;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates as a launch surface: metadata from the annotations, docs, and every check before launch. */
class TemplatesTest extends CliTestBase {
  @Test
  void theCatalogListsEveryTemplateWithHowItRuns() {
    assertThat(run("templates")).isZero();
    for (Template<?> template : TemplateCatalog.all()) {
      assertThat(out()).containsPattern(template.name() + " +" + (template.streamingCapable() ? "streaming" : "batch")
          + " +" + java.util.regex.Pattern.quote(template.description()));
    }
  }

  @Test
  void describeJsonIsValidAndMatchesTheAnnotations() throws Exception {
    for (Template<?> template : TemplateCatalog.all()) {
      assertThat(run("describe", template.name(), "--json")).isZero();
      JsonNode json = new ObjectMapper().readTree(out());
      assertThat(json.get("name").asText()).isEqualTo(template.name());
      assertThat(json.get("mainClass").asText()).isEqualTo(Millrace.class.getName());
      assertThat(json.get("streaming").asBoolean()).isEqualTo(template.streamingCapable());
      Map<String, JsonNode> byName = new HashMap<>();
      json.get("parameters").forEach(p -> byName.put(p.get("name").asText(), p));
      int annotated = 0;
      for (Method getter : template.optionsClass().getMethods()) {
        TemplateParameter meta = getter.getAnnotation(TemplateParameter.class);
        if (meta == null) {
          continue;
        }
        String name = OptionsHelp.propertyName(getter);
        if (List.of(template.optionsClass().getAnnotation(TemplateMetadata.class).refusedParameters()).contains(name)) {
          assertThat(byName).as("refused parameter " + name).doesNotContainKey(name);
          continue;
        }
        annotated++;
        JsonNode p = byName.get(name);
        assertThat(p).as(name).isNotNull();
        assertThat(p.get("label").asText()).isEqualTo(meta.label());
        assertThat(p.get("helpText").asText()).isEqualTo(getter.getAnnotation(Description.class).value());
        assertThat(p.get("example").asText()).isEqualTo(meta.example());
        assertThat(p.get("isOptional").asBoolean()).isEqualTo(meta.optional());
        List<String> regexes = new java.util.ArrayList<>();
        p.get("regexes").forEach(r -> regexes.add(r.asText()));
        assertThat(regexes).containsExactly(meta.regexes());
        // Each example passes its own parameter's checks.
        for (String regex : meta.regexes()) {
          assertThat(meta.example()).as(name + " example").matches(regex);
        }
      }
      assertThat(annotated).isEqualTo(byName.size());
    }
  }

  @Test
  void everyParameterHasALabelExampleAndDescription() {
    for (Template<?> template : TemplateCatalog.all()) {
      for (OptionsHelp.Parameter p : OptionsHelp.parameters(template.optionsClass())) {
        assertThat(p.description()).as(template.name() + " --" + p.name() + " description").isNotBlank();
        assertThat(p.example()).as(template.name() + " --" + p.name() + " example (@TemplateParameter)").isNotBlank();
        assertThat(p.label()).as(template.name() + " --" + p.name() + " label").isNotEqualTo(p.name());
      }
    }
  }

  @Test
  void theReferenceDocsAreUpToDate() throws Exception {
    for (Template<?> template : TemplateCatalog.all()) {
      Path page = LocalServers.root().resolve("docs/templates/" + template.name() + ".md");
      assertThat(page).as("run bin/millrace docs").exists();
      assertThat(Files.readString(page)).as(page + " is stale: run bin/millrace docs").isEqualTo(TemplateDocs.markdown(template));
    }
  }

  @Test
  void theRunnerMatrixIsUpToDate() throws Exception {
    Path page = LocalServers.root().resolve("docs/runners.md");
    assertThat(page).as("run bin/millrace docs").exists();
    // Built once: it builds every template's streaming pipeline for the Spark check.
    String markdown = RunnerMatrix.markdown();
    assertThat(Files.readString(page)).as(page + " is stale: run bin/millrace docs").isEqualTo(markdown);
    assertThat(markdown)
        .contains("| `clickstream-analytics` |").contains("KinesisOnRunnersTest (last panes = Direct file run) |")
        .contains("| `fraud-detection` |").contains("FraudParityTest (alerts and last panes = Direct file run) |")
        .doesNotContain("| refused: ")
        .contains("| `predictive-maintenance` |").contains("SensorParityTest (alerts and last panes = Direct file run) |");
  }

  @Test
  void everyProblemIsReportedAtOnceNamingTheParameterWithExitCode2() {
    assertThat(run("run", "log-analytics", "--windowSize=5 minutes", "--topN=ten", "--windowSise=1m",
        "--stream=clicks")).isEqualTo(2);
    assertThat(err()).contains(
        "--windowSize: must match", "(e.g. 1h), but was '5 minutes'",
        "--topN: expected integer such as 10, but was 'ten'",
        "--windowSise: unknown parameter (did you mean --windowSize?)",
        "--input: required with --source=file",
        "--stream: conflicts with --source=file");
    assertThat(err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void inputFilesWithoutSourceFileAreRefusedRatherThanIgnored() {
    // The default source is the generator: the file would never be read.
    assertThat(run("run", "fraud-detection", "--input=transactions.jsonl", "--dry-run")).isEqualTo(2);
    assertThat(err()).contains("--input: conflicts with --source=synthetic (files are read with --source=file)");
  }

  @Test
  void produceRefusesAFileWithoutSourceFile() {
    // Before: "--maxEvents: required", as if the generator were wanted.
    assertThat(run("produce", "--stream=s", "--input=clicks.jsonl", "--kinesisEndpoint=http://127.0.0.1:1")).isEqualTo(2);
    assertThat(err()).contains("--input: conflicts with --source=synthetic (a file's lines are put with --source=file)")
        .doesNotContain("--maxEvents");
  }

  @Test
  void paramsFilesInJsonAndYamlAreUnderTheCommandLine(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("job.yaml");
    Files.writeString(yaml, "source: file\ninput: " + dir.resolve("none-*.log") + "\nwindowSize: 1h\ntopN: 3\n");
    assertThat(run("run", "log-analytics", "--params-file=" + yaml, "--topN=7", "--dry-run")).isEqualTo(2);
    assertThat(err()).contains("--input: no file matches");

    Path log = dir.resolve("access.log");
    Files.writeString(log, "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"\n");
    Path json = dir.resolve("job.json");
    Files.writeString(json, "{\"input\": \"" + log + "\", \"windowSize\": \"1h\", \"topN\": 3}");
    assertThat(run("run", "log-analytics", "--params-file=" + json, "--topN=7", "--dry-run")).as(err()).isZero();
    assertThat(out()).containsPattern("--windowSize +1h +\\(params file\\)")
        .containsPattern("--topN +7 +\\(command line\\)")
        .contains("Steps:", "ParseLogLines", "WriteSessions");

    Files.writeString(json, "{\"input\": [1, ");
    assertThat(run("run", "log-analytics", "--params-file=" + json)).isEqualTo(2);
    assertThat(err()).contains("--params-file: " + json + " is not valid JSON");
    Files.writeString(yaml, "- just\n- a list\n");
    assertThat(run("run", "log-analytics", "--params-file=" + yaml)).isEqualTo(2);
    assertThat(err()).contains("must hold one object of parameter: value pairs").doesNotContain("\tat ");
  }

  @Test
  void environmentReferencesAreResolvedAndNeverPrinted(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("MILLRACE_TEST_OUT", dir.resolve("secret-place").toString());
    Path log = dir.resolve("access.log");
    Files.writeString(log, "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"\n");
    Template<?> logs = TemplateCatalog.find("log-analytics").orElseThrow();
    LaunchParameters launch = new LaunchParameters(logs, env)
        .resolve(new String[] {"--input=" + log, "--output=${env:MILLRACE_TEST_OUT}"});
    assertThat(launch.problems()).isEmpty();
    assertThat(launch.values().get("output").value()).isEqualTo(dir.resolve("secret-place").toString());
    assertThat(launch.hidden()).contains("output");

    assertThat(run("run", "log-analytics", "--input=" + log, "--output=${env:MILLRACE_UNSET_VARIABLE_42}"))
        .isEqualTo(2);
    assertThat(err()).contains("--output: environment variable MILLRACE_UNSET_VARIABLE_42 is not set");
  }

  @Test
  void theJarTakesTheTemplateAsAParameter(@TempDir Path dir) {
    assertThat(run("--template=clickstream-analytics", "--maxEvents=500", "--output=" + dir, "--dry-run"))
        .as(err()).isZero();
    assertThat(out()).contains("Dry run of clickstream-analytics").containsPattern("--maxEvents +500 +\\(command line\\)");
    assertThat(run("--template=nope")).isEqualTo(2);
    assertThat(err()).contains("no template named 'nope'");
  }
}
