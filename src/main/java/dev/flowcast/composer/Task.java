package dev.flowcast.composer;

import dev.flowcast.resources.ResourceDemand;

/** One bound step of a workflow: which component does it, in which pool. */
public record Task(String stepId, int position, String capability, TaskComponent component, String pool) {

  public ResourceDemand requirements() {
    return component.requirements();
  }
}
