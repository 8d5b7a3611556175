package dev.millrace.pipelines.options;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A template's options are wrong: every {@link Problem} found, not only the first. Its message is one
 * line per problem, for callers that only print it.
 */
public final class InvalidOptionsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<Problem> problems;

  public InvalidOptionsException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  /**
   * The problems an exception from building a template reports: its own list when it is one of these,
   * else one problem per line of its message (Beam's option parser words them {@code --name: ...}).
   */
  public static List<Problem> problemsOf(IllegalArgumentException e) {
    if (e instanceof InvalidOptionsException invalid) {
      return invalid.problems();
    }
    return String.valueOf(e.getMessage()).lines().map(Problem::parse).toList();
  }
}
