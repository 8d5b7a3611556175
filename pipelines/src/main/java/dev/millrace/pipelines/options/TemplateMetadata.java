package dev.millrace.pipelines.options;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A pipeline's options interface as a template: its catalog entry. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TemplateMetadata {
  /** The template's name, e.g. "clickstream-analytics". */
  String name();

  /** One line for the catalog. */
  String description();

  /** True when it can run unbounded (streaming), false for batch only. */
  boolean streaming();

  /** The Parquet datasets it writes. */
  String[] datasets();

  /**
   * Parameters of a shared options group that this template refuses (campaign-analytics reads three
   * inputs, so not --input or --stream): left out of its help, its metadata and its reference page.
   */
  String[] refusedParameters() default {};
}
