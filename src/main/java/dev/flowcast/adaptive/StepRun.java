package dev.flowcast.adaptive;

import java.time.Duration;
import java.time.Instant;

/** One run of one step of a composed instance, as the step listeners recorded it. */
record StepRun(
    String id, String processInstanceId, String processDefinitionId, String stepId, String component,
    String pool, State state, Instant startedAt, Instant endedAt, double vcpu, double memoryMb, Double cost) {

  enum State { RUNNING, COMPLETED, CANCELLED }

  Duration elapsedAt(Instant now) {
    return Duration.between(startedAt, endedAt != null ? endedAt : now);
  }
}
