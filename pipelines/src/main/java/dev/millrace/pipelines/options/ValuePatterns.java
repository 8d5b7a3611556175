package dev.millrace.pipelines.options;

/** Regular expressions of option values, for {@link TemplateParameter#regexes()}. */
public final class ValuePatterns {
  private ValuePatterns() {}

  /** 30s, 5m, 1h, 500ms, 2d, or ISO-8601 (PT5M). */
  public static final String DURATION = "[0-9]+(ms|s|m|h|d)|P[0-9A-Z.]+";

  /** A fraction from 0 to 1. */
  public static final String FRACTION = "0|1|0?\\.[0-9]+|1\\.0+";

  /** An ISO-8601 instant with Z or an offset. */
  /** A plain decimal number, such as 4, 100 or 2.5. */
  public static final String DECIMAL = "[0-9]+(\\.[0-9]+)?";

  public static final String INSTANT = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2})";

  /** A Kinesis stream name. */
  public static final String STREAM_NAME = "[a-zA-Z0-9_.-]{1,128}";

  /** An http(s) endpoint with no path. */
  public static final String ENDPOINT = "https?://[^/\\s]+/?";
}
