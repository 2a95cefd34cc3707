package dev.flowcast.composer;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a team would deploy without Flowcast: every step of the template bound, once and for all,
 * to the first component (by name) that provides its capability and may run on on-demand capacity,
 * on on-demand capacity (a component bound to another pool where none may). Shadow mode runs it.
 */
final class StaticBinding {

  static final String STATIC_POOL = "on-demand";

  private StaticBinding() {}

  /** The static binding among the candidates, if the candidates hold it. */
  static Optional<ScoredWorkflow> among(List<ScoredWorkflow> scored, ComponentLibrary components) {
    return scored.stream().filter(candidate -> isStatic(candidate.workflow(), components)).findFirst();
  }

  private static boolean isStatic(Workflow workflow, ComponentLibrary components) {
    for (Task task : workflow.tasks()) {
      List<TaskComponent> providers = components.components().stream()
          .filter(c -> c.capability().equals(task.capability()))
          .sorted(Comparator.comparing(TaskComponent::name))
          .toList();
      TaskComponent chosen = providers.stream().filter(StaticBinding::mayRunOnDemand).findFirst()
          .orElse(providers.isEmpty() ? null : providers.get(0));
      if (chosen == null || !chosen.name().equals(task.component().name())) {
        return false;
      }
      String pool = mayRunOnDemand(chosen) ? STATIC_POOL : chosen.pool();
      if (!pool.equals(task.pool())) {
        return false;
      }
    }
    return true;
  }

  private static boolean mayRunOnDemand(TaskComponent component) {
    return component.pool().equals(STATIC_POOL) || component.pool().equals("any");
  }
}
