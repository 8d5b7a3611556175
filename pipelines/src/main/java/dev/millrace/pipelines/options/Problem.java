package dev.millrace.pipelines.options;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One thing wrong with a run's parameters: the option it is about ({@code --windowSize}; empty when it is
 * about none) and what is wrong. Every check, from the launch parameters to a template's cross-field
 * rules, adds these to one list, so the CLI can print all of them at once and skip what it already knows
 * is wrong.
 */
public record Problem(String option, String message) {
  /** {@code --name: message}, as Beam's own option errors and the generators' configs word theirs. */
  private static final Pattern NAMED = Pattern.compile("(--[A-Za-z][\\w.]*): (.*)", Pattern.DOTALL);

  public Problem {
    requireNonNull(option, "option");
    requireNonNull(message, "message");
  }

  /** A problem about no single option. */
  public static Problem general(String message) {
    return new Problem("", message);
  }

  /** A problem from a message worded {@code --name: what is wrong}; other messages are about no option. */
  public static Problem parse(String line) {
    Matcher named = NAMED.matcher(String.valueOf(line));
    return named.matches() ? new Problem(named.group(1), named.group(2)) : general(String.valueOf(line));
  }

  /** Whether this problem is about {@code --name} (given as {@code name} or {@code --name}). */
  public boolean isAbout(String name) {
    return !option.isEmpty() && option.equals(name.startsWith("--") ? name : "--" + name);
  }

  /** {@code --name: message}, one line as the CLI prints it. */
  @Override
  public String toString() {
    return option.isEmpty() ? message : option + ": " + message;
  }

  /** Throws {@link InvalidOptionsException} with all of {@code problems}, when there are any. */
  public static void throwIfAny(List<Problem> problems) {
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(problems);
    }
  }
}
