package dev.flowcast.composer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Candidates = the template × every binding of its abstract tasks to a component that provides
 * the capability, in a pool it may run in. Enumerated in a stable order and cut at a bound.
 */
final class CandidateGenerator {

  private CandidateGenerator() {}

  /** Why a template gives no candidate at all. */
  static final class NoCandidateException extends RuntimeException {
    private final boolean forLackOfRights;

    NoCandidateException(String message, boolean forLackOfRights) {
      super(message);
      this.forLackOfRights = forLackOfRights;
    }

    boolean forLackOfRights() {
      return forLackOfRights;
    }
  }

  static List<Workflow> candidates(
      WorkflowTemplate template,
      ComponentLibrary library,
      Set<String> pools,
      Predicate<TaskComponent> permitted,
      int bound) {
    return candidates(template, library, pools, permitted, bound, Map.of());
  }

  /**
   * @param held steps that keep their binding (already done or running), by step id: one option
   *     each, whatever the library holds now
   */
  static List<Workflow> candidates(
      WorkflowTemplate template,
      ComponentLibrary library,
      Set<String> pools,
      Predicate<TaskComponent> permitted,
      int bound,
      Map<String, Task> held) {
    List<List<Task>> options = new ArrayList<>();
    for (AbstractTask abstractTask : template.tasks()) {
      if (held.containsKey(abstractTask.stepId())) {
        options.add(List.of(held.get(abstractTask.stepId())));
        continue;
      }
      List<TaskComponent> providers = library.providing(abstractTask.capability());
      if (providers.isEmpty()) {
        throw new NoCandidateException(
            "no task component provides capability '" + abstractTask.capability() + "'", false);
      }
      List<TaskComponent> allowed = providers.stream().filter(permitted).toList();
      if (allowed.isEmpty()) {
        throw new NoCandidateException(
            "not authorized to start any component providing '" + abstractTask.capability()
                + "' (CREATE_INSTANCE on " + providers.stream().map(TaskComponent::processKey).toList() + ")",
            true);
      }
      List<Task> bindings = new ArrayList<>();
      for (TaskComponent component :
          allowed.stream().sorted(Comparator.comparing(TaskComponent::name)).toList()) {
        pools.stream()
            .sorted()
            .filter(component::runsIn)
            .forEach(
                pool ->
                    bindings.add(
                        new Task(abstractTask.stepId(), abstractTask.position(), abstractTask.capability(),
                            component, pool)));
      }
      if (bindings.isEmpty()) {
        throw new NoCandidateException(
            "no pool is configured for the components providing '" + abstractTask.capability() + "'", false);
      }
      options.add(bindings);
    }
    List<Workflow> candidates = new ArrayList<>();
    enumerate(template, options, new ArrayList<>(), candidates, bound);
    return candidates;
  }

  private static void enumerate(
      WorkflowTemplate template, List<List<Task>> options, List<Task> chosen, List<Workflow> out, int bound) {
    if (out.size() >= bound) {
      return;
    }
    if (chosen.size() == options.size()) {
      out.add(new Workflow(template, chosen));
      return;
    }
    for (Task task : options.get(chosen.size())) {
      chosen.add(task);
      enumerate(template, options, chosen, out, bound);
      chosen.remove(chosen.size() - 1);
    }
  }
}
