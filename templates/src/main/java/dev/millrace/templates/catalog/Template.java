package dev.millrace.templates.catalog;

import dev.millrace.pipelines.options.TemplateMetadata;
import dev.millrace.transforms.runners.CountLateDrops;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A launchable pipeline: its name, what it does, its options interface (the single source of its
 * parameters), how to build it, and the datasets it writes.
 */
public record Template<O extends PipelineOptions>(
    String name,
    String description,
    boolean streamingCapable,
    Class<O> optionsClass,
    Function<O, Pipeline> builder,
    List<String> datasets) {

  /** A template from its options interface's {@link TemplateMetadata}: the one place it is described. */
  public static <O extends PipelineOptions> Template<O> of(Class<O> optionsClass, Function<O, Pipeline> builder) {
    TemplateMetadata metadata = optionsClass.getAnnotation(TemplateMetadata.class);
    if (metadata == null) {
      throw new IllegalArgumentException(optionsClass.getName() + " has no @TemplateMetadata");
    }
    return new Template<>(metadata.name(), metadata.description(), metadata.streaming(), optionsClass, builder,
        List.of(metadata.datasets()));
  }

  /** Builds the pipeline from options of any type viewed as this template's options. */
  public Pipeline build(PipelineOptions options) {
    Pipeline pipeline = builder.apply(options.as(optionsClass));
    // Spark streaming drops late data without reporting it: twins count it for the run summary.
    CountLateDrops.addTo(pipeline);
    return pipeline;
  }
}
