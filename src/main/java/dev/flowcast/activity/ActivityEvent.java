package dev.flowcast.activity;

import java.time.Instant;
import java.util.Map;

/**
 * One thing a user did: an API call, a query, a workflow start, a scaling operation ...
 *
 * @param user who did it (for an event log without users: the case)
 * @param caseId the case or session it belongs to, or null
 * @param attributes numeric measurements (CPU seconds, rows, bytes ...)
 * @param tags free-form labels
 */
public record ActivityEvent(
    Instant time, String user, String action, String caseId, Map<String, Double> attributes, Map<String, String> tags) {

  public ActivityEvent {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  /** The session an event belongs to: its case, or its user when it has none. */
  public String session() {
    return caseId != null ? caseId : user;
  }
}
