package dev.flowcast.composer;

import dev.flowcast.config.ProcessKeys;
import dev.flowcast.resources.ResourceDemand;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/** A template with every task bound to a component and a pool: a DAG of {@link Task}s. */
public record Workflow(WorkflowTemplate template, List<Task> tasks) {

  public Workflow {
    tasks = List.copyOf(tasks);
  }

  public String intent() {
    return template.intent();
  }

  public String processKey() {
    return ProcessKeys.composed(template.intent());
  }

  public Set<String> dependenciesOf(String stepId) {
    return template.dependencies().getOrDefault(stepId, Set.of());
  }

  /**
   * The most each pool has to hold at once: steps on the same level of the DAG (same longest path
   * from the start) may run together, so their demands add up; levels follow one another.
   */
  public Map<String, ResourceDemand> peakDemandByPool() {
    return peakDemandOf(stepId -> true);
  }

  /**
   * The same for some of its steps only, as {@code only(stepIds).peakDemandByPool()} gives it, without
   * building that workflow: scoring asks this of every candidate for each stretch of its projection.
   */
  public Map<String, ResourceDemand> peakDemandByPool(Set<String> stepIds) {
    return peakDemandOf(stepIds::contains);
  }

  private Map<String, ResourceDemand> peakDemandOf(Predicate<String> counted) {
    Map<String, Integer> level = new HashMap<>();
    Map<Integer, Map<String, ResourceDemand>> perLevel = new TreeMap<>();
    for (Task task : tasks) { // tasks are in topological order
      if (!counted.test(task.stepId())) {
        continue;
      }
      // a dependency outside the steps that count (a finished step of a remainder) is behind it
      int depth = 0;
      for (String dependency : dependenciesOf(task.stepId())) {
        depth = Math.max(depth, level.getOrDefault(dependency, -1) + 1);
      }
      level.put(task.stepId(), depth);
      perLevel.computeIfAbsent(depth, l -> new TreeMap<>()).merge(task.pool(), task.requirements(), ResourceDemand::plus);
    }
    Map<String, ResourceDemand> peak = new TreeMap<>();
    perLevel.values().forEach(pools -> pools.forEach((pool, d) -> peak.merge(pool, d, ResourceDemand::max)));
    return peak;
  }

  /** The same workflow reduced to some of its steps: what is left of it to run. */
  public Workflow only(Set<String> stepIds) {
    return new Workflow(template, tasks.stream().filter(t -> stepIds.contains(t.stepId())).toList());
  }

  public Optional<Task> task(String stepId) {
    return tasks.stream().filter(t -> t.stepId().equals(stepId)).findFirst();
  }

  /** Short readable form, e.g. {@code provision=provision-spot@spot, query=query-replica@spot}. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    for (Task task : tasks) {
      if (!text.isEmpty()) {
        text.append(", ");
      }
      text.append(task.stepId()).append('=').append(task.component().name()).append('@').append(task.pool());
    }
    return text.toString();
  }

  /** Seconds along the critical path by the components' declared durations: how long it is planned to take. */
  public double declaredSeconds() {
    Map<String, Double> finishes = new HashMap<>();
    double longest = 0;
    for (Task task : tasks) {
      double start = dependenciesOf(task.stepId()).stream().mapToDouble(d -> finishes.getOrDefault(d, 0.0))
          .max().orElse(0);
      double end = start + task.component().expectedDuration().toMillis() / 1000.0;
      finishes.put(task.stepId(), end);
      longest = Math.max(longest, end);
    }
    return longest;
  }
}
