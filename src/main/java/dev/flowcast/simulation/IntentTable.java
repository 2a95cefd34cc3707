package dev.flowcast.simulation;

import java.time.Duration;
import java.util.Map;

/**
 * How the replayed event log speaks the demo's language: each activity code of the help-desk log
 * becomes a request for one of the demo intents, and each intent has a deadline (its SLA) from
 * arrival to completion. The table is documented in docs/decisions/0007-strategy-simulation.md.
 */
final class IntentTable {

  /**
   * The help-desk log's three frequent activities (1, 6, 8: about 30% of events each) take the three
   * everyday intents; the rarer 9 (7%) the heavy replication; the handful of others run a report.
   */
  private static final Map<String, String> INTENT_OF_ACTIVITY = Map.of(
      "1", "run-report",
      "6", "scale-service",
      "8", "backup-database",
      "9", "replicate-database");
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

  private IntentTable() {}

  static String intentOf(String activity) {
    return INTENT_OF_ACTIVITY.getOrDefault(activity, OTHERWISE);
  }

  static Duration deadlineOf(String intent) {
    return DEADLINES.getOrDefault(intent, Duration.ofSeconds(120));
  }
}
