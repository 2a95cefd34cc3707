package dev.flowcast.adaptive;

import java.time.Duration;
import java.time.Instant;

/** One run of one step of a composed instance, as the step listeners recorded it. */
record StepRun(
    String id, String processInstanceId, String processDefinitionId, String stepId, String component,
    String pool, State state, Instant startedAt, Instant endedAt, double vcpu, double memoryMb, Double cost) {

  /** FAILED: the run's work failed and it was restarted elsewhere (it ended cancelled, for a failure). */
  enum State { RUNNING, COMPLETED, CANCELLED, FAILED }

  StepRun endedAs(State ending, Instant at, Double price) {
    return new StepRun(id, processInstanceId, processDefinitionId, stepId, component, pool, ending, startedAt, at,
        vcpu, memoryMb, price);
  }

  Duration elapsedAt(Instant now) {
    return Duration.between(startedAt, endedAt != null ? endedAt : now);
  }
}
