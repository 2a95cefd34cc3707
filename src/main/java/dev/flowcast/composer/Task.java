package dev.flowcast.composer;

import dev.flowcast.resources.ResourceDemand;
import java.util.LinkedHashMap;
import java.util.Map;

/** One bound step of a workflow: which component does it, in which pool. */
public record Task(String stepId, int position, String capability, TaskComponent component, String pool) {

  public ResourceDemand requirements() {
    return component.requirements();
  }

  /** Plain values for the decision log and the REST answers: the step and what is bound to it. */
  public Map<String, Object> explain() {
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("stepId", stepId);
    step.put("capability", capability);
    step.put("component", component.name());
    step.put("componentVersion", component.version());
    step.put("pool", pool);
    return step;
  }
}
