package dev.flowcast.composer;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An abstract workflow for one intent: tasks in topological order and, per task step id, the step
 * ids it depends on.
 */
public record WorkflowTemplate(
    String intent, String name, List<AbstractTask> tasks, Map<String, Set<String>> dependencies,
    String source, String fingerprint) {

  public WorkflowTemplate {
    tasks = List.copyOf(tasks);
    dependencies = Map.copyOf(dependencies);
  }
}
