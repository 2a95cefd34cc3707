package dev.flowcast.adaptive;

import dev.flowcast.composer.Task;
import dev.flowcast.composer.Workflow;
import dev.flowcast.resources.ResourceDemand;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A running composed instance as the degradation policy sees it: its workflow, where each step
 * stands, and what it has reserved.
 */
public record InstanceState(
    String processInstanceId, String processDefinitionId, Workflow workflow, String user,
    List<StepState> steps, Map<String, ResourceDemand> reserved) {

  public InstanceState {
    steps = List.copyOf(steps);
    reserved = Map.copyOf(reserved);
  }

  /**
   * One step: finished, running (since when), or still to come.
   *
   * @param failure for a running step whose work failed (its job threw; retries may be left or
   *     gone, an incident then), what the engine said; null otherwise
   */
  public record StepState(Task task, Phase phase, Instant startedAt, String failure) {

    public enum Phase { FINISHED, RUNNING, PENDING }

    public StepState(Task task, Phase phase, Instant startedAt) {
      this(task, phase, startedAt, null);
    }

    public String stepId() {
      return task.stepId();
    }
  }

  public Set<String> stepsIn(StepState.Phase phase) {
    return steps.stream().filter(s -> s.phase() == phase).map(StepState::stepId).collect(Collectors.toSet());
  }
}
