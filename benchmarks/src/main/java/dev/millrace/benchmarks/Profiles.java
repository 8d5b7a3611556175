package dev.millrace.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/** Hot spots from a Java Flight Recorder recording: the methods most often on top of sampled stacks. */
final class Profiles {
  private Profiles() {}

  static String topMethods(String config, Path recording, int n) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      RecordedFrame top = stack.getFrames().get(0);
      self.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
    }
    StringBuilder out = new StringBuilder(String.format("%nhot spots of %s (run 1, %,d samples; self time):%n", config, samples));
    List<Map.Entry<String, Integer>> ranked = self.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n).toList();
    for (Map.Entry<String, Integer> e : ranked) {
      out.append(String.format("  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
    }
    return out.toString();
  }
}
