package dev.flowcast.composer;

import java.util.List;

/**
 * The answer to a {@link CompositionRequest}: what was decided, and the candidates behind it.
 *
 * @param chosen the workflow that was started, or the best one seen when none was
 * @param alternatives the next best candidates, best first
 * @param predictionSource which model gave the probability part
 */
public record CompositionResult(
    String decisionId,
    Status status,
    String intent,
    String processInstanceId,
    String processDefinitionId,
    ScoredWorkflow chosen,
    List<ScoredWorkflow> alternatives,
    String predictionSource,
    String reason) {

  /** What became of the request. */
  public enum Status {
    /** The workflow was deployed (or found deployed) and started. */
    STARTED,
    /** Nothing fits now: the request waits in the {@code flowcast-queue} process. */
    QUEUED,
    /** The request cannot be composed at all (e.g. a capability no component provides). */
    REJECTED,
    /** Composed and deployed ahead of a predicted request, not started (the proactive loop). */
    PREPARED
  }

  public CompositionResult {
    alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
  }
}
