package dev.flowcast.config;

import java.util.Date;
import org.camunda.bpm.engine.delegate.VariableScope;

/**
 * The process variables Flowcast itself reads and writes, with typed accessors, so no raw
 * variable name is spelled twice.
 */
public final class ProcessVariables {

  public static final String DECISION_ID = "flowcastDecisionId";
  public static final String USER = "flowcastUser";
  public static final String INTENT = "flowcastIntent";
  public static final String PARAMETERS = "flowcastParameters";
  public static final String DEADLINE = "flowcastDeadline";
  /** A queued request's demand per pool (JSON), as its best candidate needs it: what the capacity planner sizes for. */
  public static final String QUEUED_DEMAND = "flowcastQueuedDemand";
  public static final String RETRY_INTERVAL = "flowcastRetryInterval";
  public static final String QUEUE_STATUS = "queueStatus";
  public static final String STARTED_INSTANCE = "flowcastStartedInstanceId";
  /** The worker that completed a step's external task (set by Flowcast on the completion). */
  public static final String WORKER = "flowcastWorker";

  private ProcessVariables() {}

  public static String string(VariableScope scope, String name) {
    Object value = scope.getVariable(name);
    return value == null ? null : value.toString();
  }

  public static Date date(VariableScope scope, String name) {
    Object value = scope.getVariable(name);
    return value instanceof Date date ? date : null;
  }

  /** An integer parameter of the request, or the default when it is absent or not a number. */
  public static long number(VariableScope scope, String name, long fallback) {
    return number(scope.getVariable(name), fallback);
  }

  /** A value as an integer, or the default when it is absent or not a number. */
  public static long number(Object value, long fallback) {
    if (value instanceof Number number) {
      return number.longValue();
    }
    if (value instanceof String text) {
      try {
        return Long.parseLong(text.trim());
      } catch (NumberFormatException ignored) {
        return fallback;
      }
    }
    return fallback;
  }
}
