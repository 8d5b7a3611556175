package dev.millrace.io.parquet;

import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Windowing for rows that are written as they come rather than per event-time window (dead letters,
 * alerts): the global window, and in streaming a pane (so a file) every {@code interval} of
 * processing time after the first waiting row. Each row is in exactly one pane.
 */
public final class FlushWindows {
  private FlushWindows() {}

  public static <T> Window<T> every(Duration interval, PCollection.IsBounded boundedness) {
    Window<T> window = Window.into(new GlobalWindows());
    if (boundedness == PCollection.IsBounded.UNBOUNDED) {
      window = window
          .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(interval)))
          .withAllowedLateness(Duration.ZERO)
          .discardingFiredPanes();
    }
    return window;
  }
}
