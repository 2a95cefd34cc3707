package dev.flowcast.composer;

import dev.flowcast.config.ProcessKeys;
import dev.flowcast.resources.PoolCapacity;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The catalog of hand-made components, templates and profiles the composer's unit tests share. */
final class Fixtures {

  private Fixtures() {}

  static TaskComponent component(String name, String capability, double vcpu, double memoryMb, String pool, Duration expected) {
    return new TaskComponent(name, ProcessKeys.component(name), capability,
        new ResourceDemand(vcpu, memoryMb, 10, 100), expected, pool, "standard", false,
        "test:" + name, ProcessKeys.component(name) + ":1:id", 1);
  }

  static TaskComponent component(String name, String capability, double vcpu, String pool) {
    return component(name, capability, vcpu, 1024, pool, Duration.ofMinutes(10));
  }

  /** A template whose tasks follow one another. */
  static WorkflowTemplate sequence(String intent, String... capabilities) {
    List<AbstractTask> tasks = new ArrayList<>();
    Map<String, Set<String>> dependencies = new HashMap<>();
    String previous = null;
    for (String capability : capabilities) {
      AbstractTask task = new AbstractTask(ProcessKeys.step(tasks.size() + 1, capability), tasks.size() + 1, capability, capability);
      tasks.add(task);
      dependencies.put(task.stepId(), previous == null ? Set.of() : Set.of(previous));
      previous = task.stepId();
    }
    return new WorkflowTemplate(intent, intent, tasks, dependencies, "test:" + intent, "fingerprint-" + intent);
  }

  /** first → (every middle capability in parallel) → last. */
  static WorkflowTemplate diamond(String intent, String first, List<String> parallel, String last) {
    List<AbstractTask> tasks = new ArrayList<>();
    Map<String, Set<String>> dependencies = new HashMap<>();
    AbstractTask head = new AbstractTask(ProcessKeys.step(1, first), 1, first, first);
    tasks.add(head);
    dependencies.put(head.stepId(), Set.of());
    Set<String> middle = new LinkedHashSet<>();
    for (String capability : parallel) {
      int position = tasks.size() + 1;
      AbstractTask task = new AbstractTask(ProcessKeys.step(position, capability), position, capability, capability);
      tasks.add(task);
      dependencies.put(task.stepId(), Set.of(head.stepId()));
      middle.add(task.stepId());
    }
    AbstractTask tail = new AbstractTask(ProcessKeys.step(tasks.size() + 1, last), tasks.size() + 1, last, last);
    tasks.add(tail);
    dependencies.put(tail.stepId(), middle);
    return new WorkflowTemplate(intent, intent, tasks, dependencies, "test:" + intent, "fingerprint-" + intent);
  }

  static ComponentLibrary library(TaskComponent... components) {
    List<TaskComponent> all = Arrays.asList(components);
    return new ComponentLibrary() {
      @Override
      public List<TaskComponent> components() {
        return all;
      }

      @Override
      public List<LoadProblem> problems() {
        return List.of();
      }
    };
  }

  static PoolCapacity pool(String name, double vcpu, double pricePerVcpuHour, double interruptionRate) {
    ResourceDemand capacity = new ResourceDemand(vcpu, vcpu * 4096, 10_000, 20_000);
    return new PoolCapacity(name, capacity, capacity, pricePerVcpuHour, pricePerVcpuHour / 10, interruptionRate);
  }

  static ResourceProfile profile(PoolCapacity... pools) {
    Map<String, PoolCapacity> byName = new HashMap<>();
    for (PoolCapacity pool : pools) {
      byName.put(pool.name(), pool);
    }
    return new ResourceProfile(Instant.parse("2026-11-24T10:00:00Z"), byName);
  }

  /** Binds every task of the template to the given components, in order, each in its own pool. */
  static Workflow bind(WorkflowTemplate template, TaskComponent... components) {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < components.length; i++) {
      AbstractTask task = template.tasks().get(i);
      String pool = TaskComponent.ANY_POOL.equals(components[i].pool()) ? "on-demand" : components[i].pool();
      tasks.add(new Task(task.stepId(), task.position(), task.capability(), components[i], pool));
    }
    return new Workflow(template, tasks);
  }
}
