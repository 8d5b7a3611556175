package dev.millrace.pipelines.options;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Template metadata of one option (on its getter), next to Beam's {@code @Description} (the help
 * text) and {@code @Default}: the catalog, {@code --help}, {@code describe --json}, the reference docs
 * and launch-time validation all read it from here.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TemplateParameter {
  /** A short human name, e.g. "Window size". */
  String label();

  /** An example value, e.g. "5m". */
  String example();

  /** Regular expressions the whole value must match (all of them). */
  String[] regexes() default {};

  /** The group it is listed under; empty: the declaring options interface's. */
  String group() default "";

  /** False when a run cannot start without it (and it has no default). */
  boolean optional() default true;

  /** A credential or other secret: never printed (use an ${env:NAME} reference). */
  boolean secret() default false;

  /**
   * A file or directory (local, or a Beam filesystem URI such as s3://): a relative local path is
   * made absolute before the job starts, because a cluster's workers do not run in the CLI's directory.
   */
  boolean path() default false;
}
