package dev.millrace.transforms.runners;

import org.apache.beam.sdk.Pipeline;

/** For tests in other packages: the twins on every grouping whatever the runner. */
public final class CountLateDropsAccess {
  private CountLateDropsAccess() {}

  public static void addToEveryGrouping(Pipeline pipeline) {
    CountLateDrops.addToEveryGrouping(pipeline);
  }
}
