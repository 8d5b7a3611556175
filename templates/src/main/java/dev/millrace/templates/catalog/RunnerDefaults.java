package dev.millrace.templates.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Millrace's own defaults for Beam's runner options, per runner: the CLI adds each one the user did
 * not give, and every template's reference page and {@code --help} list them from here.
 */
public final class RunnerDefaults {
  private RunnerDefaults() {}

  /** One default: {@code --option=value}, and why it is Millrace's choice. */
  public record Default(String option, String value, String why) {
    public String arg() {
      return "--" + option + "=" + value;
    }
  }

  /** By runner ("direct", "flink", "spark"), in the order they are documented. */
  public static final Map<String, List<Default>> BY_RUNNER = byRunner();

  private static Map<String, List<Default>> byRunner() {
    Map<String, List<Default>> all = new LinkedHashMap<>();
    all.put("direct", List.of(
        new Default("blockOnRun", "false", "the command prints progress while the job runs"),
        new Default("enforceImmutability", "false",
            "a check that catches bugs in tests (transform tests keep it on); it halves a real run's throughput"),
        new Default("enforceEncodability", "false", "as above")));
    all.put("flink", List.of(
        new Default("fasterCopy", "true", "no defensive copy between chained operators (no Millrace step mutates "
            + "its input); bounded runs only: an unbounded run gets false, which keeps its checkpoints exact "
            + "(docs/guarantees.md)"),
        new Default("checkpointingInterval", "10000", "an unbounded job checkpoints every 10 s, so a restarted "
            + "job resumes from its last checkpoint"),
        new Default("checkpointingMode", "EXACTLY_ONCE", "as above")));
    all.put("spark", List.of(
        new Default("storageLevel", "MEMORY_AND_DISK", "cached datasets spill to disk instead of being "
            + "recomputed, which would do the work twice and count its records twice in the metrics"),
        new Default("batchIntervalMillis", "2000", "streaming: one micro-batch every 2 s. A batch of a Millrace "
            + "pipeline takes 0.5-2 s on 2 cores whatever its size, so Beam's 500 ms falls behind (measured in "
            + "docs/runners.md: 113 s at 500 ms, 50 s at 2,000 ms for the same run)")));
    return all;
  }

  /** The runner's defaults as {@code --option=value} arguments (none for another runner). */
  public static String[] args(String runner) {
    return BY_RUNNER.getOrDefault(runner, List.of()).stream().map(Default::arg).toArray(String[]::new);
  }

  /** The defaults as a Markdown table. */
  public static String markdown() {
    StringBuilder out = new StringBuilder("| runner | option | Millrace default | why |\n|---|---|---|---|\n");
    BY_RUNNER.forEach((runner, defaults) -> defaults.forEach(d -> out.append("| ").append(runner).append(" | `--")
        .append(d.option()).append("` | `").append(d.value()).append("` | ").append(d.why()).append(" |\n")));
    return out.toString();
  }
}
