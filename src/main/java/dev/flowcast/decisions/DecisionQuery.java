package dev.flowcast.decisions;

import java.time.Instant;

/**
 * Filters for reading the decision log; {@code null} means "any". Newest first.
 *
 * @param processDefinitionId the definition a decision names (the composed one, or the one switched to)
 * @param since decided at or after this instant
 */
public record DecisionQuery(
    String user, String processInstanceId, String processDefinitionId, Decision.Kind kind, Instant since, int limit) {

  public static final int MAX_LIMIT = 1000;

  public DecisionQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }

  public DecisionQuery(String user, String processInstanceId, int limit) {
    this(user, processInstanceId, null, null, null, limit);
  }
}
