package dev.millrace.templates.cli;

import java.nio.file.Paths;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Relative local paths in a run's options made absolute, from the CLI's working directory: the
 * workers of a Flink or Spark cluster run elsewhere, and read {@code data/x.jsonl} from their own
 * directory ("no file matches"). Which options are paths: {@code @TemplateParameter(path = true)}.
 */
final class LocalPaths {
  private LocalPaths() {}

  static String[] absolute(Class<? extends PipelineOptions> optionsClass, String[] args) {
    Set<String> paths = OptionsHelp.parameters(optionsClass).stream()
        .filter(OptionsHelp.Parameter::path).map(OptionsHelp.Parameter::name).collect(Collectors.toSet());
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      int eq = out[i].indexOf('=');
      if (!out[i].startsWith("--") || eq < 0 || !paths.contains(out[i].substring(2, eq))) {
        continue;
      }
      String value = out[i].substring(eq + 1);
      if (isRelativeLocalPath(value)) {
        out[i] = out[i].substring(0, eq + 1) + Paths.get(value).toAbsolutePath().normalize();
      }
    }
    return out;
  }

  /** Not empty, not a URI (s3://, file://), not absolute, not an unresolved ${...} reference. */
  static boolean isRelativeLocalPath(String value) {
    return !value.isEmpty() && !value.contains("://") && !value.startsWith("/") && !value.startsWith("${");
  }
}
