package dev.millrace.pipelines.summary;

import dev.millrace.io.accounts.AccountsIO;
import dev.millrace.io.reference.ReferenceDataIO;
import dev.millrace.io.sensor.DeviceRegistries;
import dev.millrace.io.sensor.PatientRegistries;
import dev.millrace.model.Accounting;
import dev.millrace.pipelines.campaign.CampaignAnalytics;
import dev.millrace.pipelines.maintenance.PredictiveMaintenance;
import dev.millrace.pipelines.patients.PatientMonitoring;
import dev.millrace.transforms.campaign.AttributeClicks;
import dev.millrace.transforms.campaign.AttributeConversions;
import dev.millrace.transforms.fraud.ScoreTransactions;
import dev.millrace.transforms.fraud.VelocityPerCard;
import dev.millrace.transforms.runners.WatermarkTicks;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The record accounting of a run, from its Beam counters: every record read is parsed or
 * dead-lettered; every parsed record is unique or a duplicate; every unique record is aggregated or
 * dropped as too late.
 */
public final class RunSummary {
  private final Map<String, Long> counters;

  private RunSummary(Map<String, Long> counters) {
    this.counters = counters;
  }

  /**
   * Reads the counters of a run. Committed values where the runner has them (exactly once), else
   * attempted ones.
   */
  public static RunSummary of(PipelineResult result) {
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> counter : metrics.getCounters()) {
      String name = counter.getName().getName();
      long value = valueOf(counter);
      if (name.equalsIgnoreCase(Accounting.DROPPED_DUE_TO_LATENESS)) {
        if (isWatermarkTick(counter.getKey().stepName())) {
          // Late elements that the tick windows leave out (WatermarkTicks): they are signals
          // only; the records themselves went on through the step that uses the ticks.
          continue;
        }
        counters.merge(Accounting.DROPPED_DUE_TO_LATENESS, value, Long::sum);
      } else if (Accounting.NAMESPACE.equals(counter.getName().getNamespace())) {
        counters.merge(name, value, Long::sum);
      }
    }
    return new RunSummary(counters);
  }

  /** A summary of the given counters (by {@link Accounting}'s names). */
  static RunSummary ofCounters(Map<String, Long> counters) {
    return new RunSummary(new TreeMap<>(counters));
  }

  private static boolean isWatermarkTick(String step) {
    return step.contains("/" + WatermarkTicks.NAME + "/") || step.endsWith("/" + WatermarkTicks.NAME);
  }

  private static long valueOf(MetricResult<Long> counter) {
    try {
      Long committed = counter.getCommitted();
      if (committed != null) {
        return committed;
      }
    } catch (UnsupportedOperationException e) {
      // This runner only reports attempted values.
    }
    Long attempted = counter.getAttempted();
    return attempted == null ? 0 : attempted;
  }

  /** Every counter of the run, by name. */
  public Map<String, Long> counters() {
    return java.util.Collections.unmodifiableMap(counters);
  }

  /** The run as one JSON object (kept with the output, read by the report). */
  public String toJson(String template, String state, double seconds, String finishedAt) {
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode root = mapper.createObjectNode();
    root.put("template", template);
    root.put("state", state);
    root.put("seconds", seconds);
    root.put("finished_at", finishedAt);
    root.put("balances", balances());
    com.fasterxml.jackson.databind.node.ObjectNode values = root.putObject("counters");
    counters.forEach(values::put);
    return root.toString();
  }

  public long get(String name) {
    return counters.getOrDefault(name, 0L);
  }

  public long read() {
    return get(Accounting.RECORDS_READ);
  }

  public long parsed() {
    return get(Accounting.RECORDS_PARSED);
  }

  public long deadLettered() {
    return deadLettersByReason().values().stream().mapToLong(Long::longValue).sum();
  }

  public Map<String, Long> deadLettersByReason() {
    Map<String, Long> byReason = new TreeMap<>();
    counters.forEach(
        (name, value) -> {
          if (name.startsWith(Accounting.DEAD_LETTER_PREFIX)) {
            byReason.put(name.substring(Accounting.DEAD_LETTER_PREFIX.length()), value);
          }
        });
    return byReason;
  }

  public long unique() {
    return get(Accounting.UNIQUE_RECORDS);
  }

  public long duplicates() {
    return get(Accounting.DUPLICATES_DROPPED);
  }

  public long droppedLate() {
    return get(Accounting.DROPPED_DUE_TO_LATENESS);
  }

  public long rowsWritten(String dataset) {
    return get(Accounting.ROWS_WRITTEN_PREFIX + dataset);
  }

  public long filesWritten(String dataset) {
    return get(Accounting.FILES_WRITTEN_PREFIX + dataset);
  }

  /** Rows written to all datasets. */
  public long rowsWritten() {
    return sumOfPrefix(Accounting.ROWS_WRITTEN_PREFIX);
  }

  /** Files written to all datasets. */
  public long filesWritten() {
    return sumOfPrefix(Accounting.FILES_WRITTEN_PREFIX);
  }

  private long sumOfPrefix(String prefix) {
    return counters.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  public long blankLinesSkipped() {
    return get(Accounting.BLANK_LINES_SKIPPED);
  }

  /** Whether the pipeline de-duplicates (log lines, for one, have no id to de-duplicate by). */
  public boolean deduplicates() {
    return counters.containsKey(Accounting.UNIQUE_RECORDS) || counters.containsKey(Accounting.DUPLICATES_DROPPED);
  }

  /** True when every record read is accounted for exactly once. */
  public boolean balances() {
    return read() == parsed() + deadLettered() + blankLinesSkipped()
        && (!deduplicates() || parsed() == unique() + duplicates())
        && get(Accounting.DEAD_LETTERS_WRITTEN) == deadLettered();
  }

  /** A table for people: the accounting with its checks, then what was written. */
  public String format(String title, String... datasets) {
    return format(title, false, datasets);
  }

  /**
   * {@link #format} for a job stopped before its end: a check that does not balance counts the records
   * that were between two steps when it stopped, not records lost.
   */
  public String formatStopped(String title, String... datasets) {
    return format(title, true, datasets);
  }

  private String format(String title, boolean stopped, String... datasets) {
    String unbalanced = stopped ? "in flight" : "MISMATCH";
    StringBuilder out = new StringBuilder();
    out.append(title).append('\n');
    line(out, "records read", read(), "");
    line(out, "  parsed", parsed(), "");
    line(out, "  dead-lettered", deadLettered(), "");
    deadLettersByReason().forEach((reason, n) -> line(out, "    " + reason, n, ""));
    if (blankLinesSkipped() > 0) {
      line(out, "  blank lines skipped", blankLinesSkipped(), "");
    }
    long windowed = parsed();
    if (deduplicates()) {
      line(out, "parsed", parsed(), "");
      line(out, "  unique", unique(), "");
      line(out, "  duplicates dropped", duplicates(), "");
      line(out, "unique", unique(), "");
      windowed = unique();
    } else {
      line(out, "parsed", parsed(), "");
    }
    line(out, "  aggregated into windows", windowed - droppedLate(), "(derived)");
    line(out, "  dropped as too late", droppedLate(), "");
    if (get(Accounting.EMPTY_PANES_SKIPPED) > 0) {
      line(out, "  empty panes skipped", get(Accounting.EMPTY_PANES_SKIPPED), "(no events; not written)");
    }
    if (counters.containsKey(ScoreTransactions.SCORED)) {
      // fraud-detection: every unique transaction is scored, the stats windows aside.
      line(out, "scored by the fraud rules", get(ScoreTransactions.SCORED), "");
      line(out, "  flagged (alerts)", get(ScoreTransactions.FLAGGED), "");
      if (get(VelocityPerCard.LATE_TRANSACTIONS) > 0) {
        line(out, "  arrived late (velocity)", get(VelocityPerCard.LATE_TRANSACTIONS), "(scored on arrival)");
      }
    }
    if (counters.containsKey(PredictiveMaintenance.UNREGISTERED) || counters.containsKey(PredictiveMaintenance.ALERTS_RAISED)) {
      // predictive-maintenance: readings of devices not in the registry are summarized but never alerted on.
      line(out, "unregistered device readings", get(PredictiveMaintenance.UNREGISTERED), "(health rows only)");
      line(out, "maintenance alerts raised", get(PredictiveMaintenance.ALERTS_RAISED), "");
    }
    if (counters.keySet().stream().anyMatch(n -> n.endsWith(CampaignAnalytics.READ))) {
      // campaign-analytics: three inputs, each accounted for on its own; then what the joins made of them.
      for (String stream : CampaignAnalytics.STREAMS) {
        long read = get(stream + CampaignAnalytics.READ);
        long parsed = get(stream + CampaignAnalytics.PARSED);
        long unique = get(stream + CampaignAnalytics.UNIQUE);
        out.append(String.format("  %-28s %,14d  = parsed %,d + dead-lettered %,d; unique %,d + duplicates %,d%n",
            stream + " read", read, parsed, read - parsed, unique, parsed - unique));
      }
      line(out, "clicks attributed", get(AttributeClicks.CLICKS_ATTRIBUTED), "");
      counters.forEach((name, n) -> {
        if (name.startsWith(AttributeClicks.ORPHANED_PREFIX)) {
          line(out, "  orphan " + name.substring(AttributeClicks.ORPHANED_PREFIX.length()), n, "(orphans)");
        }
      });
      line(out, "conversions attributed", get(AttributeConversions.CONVERSIONS_ATTRIBUTED), "");
      line(out, "conversions unattributed", get(AttributeConversions.CONVERSIONS_UNATTRIBUTED), "(campaign null)");
    }
    if (counters.containsKey(PatientMonitoring.NOTIFICATIONS_RAISED)) {
      line(out, "caregiver notifications", get(PatientMonitoring.NOTIFICATIONS_RAISED), "");
    }
    if (get(PatientMonitoring.UNLOCATED) > 0) {
      line(out, "readings without a patient", get(PatientMonitoring.UNLOCATED), "(registry reloaded in between)");
    }
    if (get(ReferenceDataIO.reloadsFailed(PatientRegistries.NAME)) > 0) {
      line(out, "patient registry reloads failed", get(ReferenceDataIO.reloadsFailed(PatientRegistries.NAME)),
          "(the last good registry kept)");
    }
    if (get(ReferenceDataIO.reloadsFailed(DeviceRegistries.NAME)) > 0) {
      line(out, "device registry reloads failed", get(ReferenceDataIO.reloadsFailed(DeviceRegistries.NAME)),
          "(the last good registry kept)");
    }
    if (get(AccountsIO.RELOADS_FAILED) > 0) {
      line(out, "account data reloads failed", get(AccountsIO.RELOADS_FAILED), "(the last good table kept)");
    }
    out.append("written\n");
    for (String dataset : datasets) {
      line(out, "  " + dataset + " rows", rowsWritten(dataset),
          "in " + filesWritten(dataset) + " file(s)");
    }
    boolean readBalances = read() == parsed() + deadLettered() + blankLinesSkipped();
    out.append(String.format("check: read %,d = parsed %,d + dead-lettered %,d", read(), parsed(), deadLettered()));
    if (blankLinesSkipped() > 0) {
      out.append(String.format(" + blank %,d", blankLinesSkipped()));
    }
    out.append(readBalances ? " OK"
        : String.format(" %s (%,d)", unbalanced, read() - parsed() - deadLettered() - blankLinesSkipped()));
    if (deduplicates()) {
      long apart = parsed() - unique() - duplicates();
      out.append(String.format("; parsed %,d = unique %,d + duplicates %,d %s", parsed(), unique(), duplicates(),
          apart == 0 ? "OK" : String.format("%s (%,d)", unbalanced, apart)));
    }
    out.append('\n');
    return out.toString();
  }

  private static void line(StringBuilder out, String label, long value, String note) {
    out.append(String.format("  %-28s %,14d  %s%n", label, value, note).stripTrailing()).append('\n');
  }
}
