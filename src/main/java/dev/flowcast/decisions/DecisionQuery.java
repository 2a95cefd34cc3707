package dev.flowcast.decisions;

/** Filters for reading the decision log; {@code null} means "any". Newest first. */
public record DecisionQuery(String user, String processInstanceId, int limit) {

  public static final int MAX_LIMIT = 1000;

  public DecisionQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }
}
