package dev.flowcast.decisions;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One logged choice: what was asked, what was decided and why. {@code details} holds the rest
 * (candidates with their score parts, the chosen workflow, figures) as plain JSON-able values.
 */
public record Decision(
    String id,
    Instant decidedAt,
    Kind kind,
    String status,
    String user,
    String intent,
    String processInstanceId,
    String processDefinitionId,
    String reason,
    Map<String, Object> details) {

  /** What kind of choice was made. */
  public enum Kind {
    /** A request was composed: started, queued or rejected. */
    COMPOSITION,
    /** A queued request was tried again. */
    QUEUE_RETRY,
    /** A queued request reached its deadline and ended without running. */
    EXPIRED,
    /** Nothing fitted the free capacity: more capacity was asked for. */
    CAPACITY_REQUESTED,
    /** A predicted request's workflow was composed and deployed ahead of time. */
    PRECOMPOSED,
    /** A step of a composed instance ended: its measured duration, resources and cost. */
    STEP,
    /** A degraded instance was switched to another version (or kept, or the engine refused). */
    SWITCH,
    /** A switched instance ended: how it did against the estimate for staying. */
    SWITCH_OUTCOME,
    /**
     * A composed process or task component was started without the composer (the engine's REST
     * API, Cockpit, Tasklist): its resources are reserved all the same.
     */
    DIRECT_START,
    /**
     * The capacity planner asked for another size of an elastic pool ({@code REQUESTED}), decided it
     * without asking in shadow mode ({@code SHADOW}), or its provider refused ({@code FAILED}).
     */
    SCALE
  }

  public Decision {
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  public static String newId() {
    return UUID.randomUUID().toString();
  }
}
