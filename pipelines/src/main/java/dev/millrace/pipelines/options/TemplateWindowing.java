package dev.millrace.pipelines.options;

import dev.millrace.transforms.window.Windowing;

/** A template's windows: the shape the template names, with the late handling its options give. */
public final class TemplateWindowing {
  private TemplateWindowing() {}

  /** {@code shape} with {@code --allowedLateness} and {@code --lateFiringDelay}. */
  public static Windowing of(Windowing shape, WindowingOptions options) {
    return shape
        .withAllowedLateness(Durations.parse(options.getAllowedLateness()))
        .withLateFiringDelay(Durations.parse(options.getLateFiringDelay()));
  }
}
