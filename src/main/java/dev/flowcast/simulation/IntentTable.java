package dev.flowcast.simulation;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a replayed event log speaks the demo's language: the log's activities, ranked by how often
 * they occur (most frequent first, ties by name), become requests for the demo's intents in the
 * order of {@link #BY_FREQUENCY_RANK}; every rarer activity runs a report. Each intent has a
 * deadline (its SLA) from arrival to completion. For the help-desk log (activities 8, 6, 1 about
 * 30% of events each, 9 7%) this is the table of decision 0007: 8 backup-database, 6
 * scale-service, 1 run-report, 9 replicate-database.
 */
final class IntentTable {

  /** The three everyday intents for the three most frequent activities, the heavy replication for the fourth. */
  static final List<String> BY_FREQUENCY_RANK = List.of("backup-database", "scale-service", "run-report",
      "replicate-database");
  private static final String OTHERWISE = "run-report";

  /**
   * About 2.5–3× the declared duration of the intent's fastest binding (run-report 31 s,
   * scale-service 35 s, backup-database 51 s, replicate-database 66 s), queueing included.
   */
  private static final Map<String, Duration> DEADLINES = Map.of(
      "run-report", Duration.ofSeconds(90),
      "scale-service", Duration.ofSeconds(90),
      "backup-database", Duration.ofSeconds(120),
      "replicate-database", Duration.ofSeconds(150));

  private final Map<String, String> intentOfActivity;

  private IntentTable(Map<String, String> intentOfActivity) {
    this.intentOfActivity = Map.copyOf(intentOfActivity);
  }

  /** The table for a log whose activities occur this often. */
  static IntentTable ranking(Map<String, Long> frequencies) {
    List<String> ranked = frequencies.entrySet().stream()
        .sorted(Comparator.comparing(Map.Entry<String, Long>::getValue).reversed().thenComparing(Map.Entry::getKey))
        .map(Map.Entry::getKey).toList();
    Map<String, String> table = new LinkedHashMap<>();
    for (int rank = 0; rank < Math.min(ranked.size(), BY_FREQUENCY_RANK.size()); rank++) {
      table.put(ranked.get(rank), BY_FREQUENCY_RANK.get(rank));
    }
    return new IntentTable(table);
  }

  String intentOf(String activity) {
    return intentOfActivity.getOrDefault(activity, OTHERWISE);
  }

  /** Which activity became which intent, for the report. */
  Map<String, String> table() {
    return intentOfActivity;
  }

  static Duration deadlineOf(String intent) {
    return DEADLINES.getOrDefault(intent, Duration.ofSeconds(120));
  }
}
