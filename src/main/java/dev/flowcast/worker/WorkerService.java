package dev.flowcast.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.composer.TaskComponent;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.worker.WorkerRefusal.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What Flowcast does for workers: registers them for a pool it knows, tells them their topics,
 * records each step run once (its idempotency key is the external task's id), and checks a
 * completion's variables against what the component declares.
 */
public class WorkerService {

  /** What a worker is told when it registers. */
  public record Registration(String id, String pool, int slots, List<String> topics, long heartbeatMillis) {}

  /**
   * The start of a step run for a worker.
   *
   * @param firstClaim whether this worker is the first to run it (false: the work was done before,
   *     and {@code outputs} is its recorded result)
   * @param paceMillis how long the run should take in all, from {@code claimedAt} (0: no more than its work)
   */
  public record RunStart(String runKey, String component, String pool, boolean firstClaim, int claims,
      Map<String, Object> outputs, long paceMillis, Instant claimedAt) {}

  private record StoredResult(Map<String, Object> outputs, long paceMillis) {}

  private final WorkerRegistry registry;
  private final StepRuns runs;
  private final ExternalComponents components;
  private final PriceCatalog catalog;
  private final ExternalTaskService externalTasks;
  private final RuntimeService runtime;
  private final HistoryService history;
  private final List<StepWork> work;
  private final TransactionTemplate transaction;
  private final ObjectMapper json;
  private final Clock clock;
  private final Duration heartbeatInterval;

  public WorkerService(WorkerRegistry registry, StepRuns runs, ExternalComponents components, PriceCatalog catalog,
      ExternalTaskService externalTasks, RuntimeService runtime, HistoryService history, List<StepWork> work,
      TransactionTemplate transaction, ObjectMapper json, Clock clock, Duration staleAfter) {
    this.registry = registry;
    this.runs = runs;
    this.components = components;
    this.catalog = catalog;
    this.externalTasks = externalTasks;
    this.runtime = runtime;
    this.history = history;
    this.work = List.copyOf(work);
    this.transaction = transaction;
    this.json = json;
    this.clock = clock;
    // three heartbeats within the staleness limit: one lost does not end a worker
    this.heartbeatInterval = staleAfter.dividedBy(3);
  }

  /** @throws WorkerRefusal for a pool the price catalog does not have */
  public Registration register(String id, String pool, int slots, String host) {
    if (pool == null || !catalog.pools().containsKey(pool)) {
      throw new WorkerRefusal(Kind.BAD_REQUEST, "pool '" + pool + "' is not a pool of the price catalog (pools: "
          + String.join(", ", new TreeSet<>(catalog.pools().keySet())) + ")");
    }
    if (slots < 1 || slots > 256) {
      throw new WorkerRefusal(Kind.BAD_REQUEST, "slots must be between 1 and 256, not " + slots);
    }
    if (id == null || !id.matches("[A-Za-z0-9._:@-]{1,128}")) {
      throw new WorkerRefusal(Kind.BAD_REQUEST, "a worker's id is 1 to 128 letters, digits and . _ : @ -");
    }
    registry.register(id, pool, slots, host);
    return new Registration(id, pool, slots, components.topicsIn(pool), heartbeatInterval.toMillis());
  }

  /**
   * Starts a step run for a worker that has fetched and locked its task: claims it and, on the first
   * claim, does the application's part of its work.
   *
   * @throws WorkerRefusal when the task is gone (cancelled, restarted elsewhere, completed), locked
   *     by another worker, or not of the worker's pool
   */
  public RunStart start(String workerId, String taskId) {
    WorkerRegistry.Worker worker = registry.find(workerId);
    if (worker == null) {
      throw new WorkerRefusal(Kind.NOT_FOUND, "no worker '" + workerId + "' is registered");
    }
    ExternalTask task = externalTasks.createExternalTaskQuery().externalTaskId(taskId).singleResult();
    if (task == null) {
      throw new WorkerRefusal(Kind.NOT_FOUND, "task " + taskId + " no longer exists (completed, or cancelled by a restart elsewhere)");
    }
    if (!workerId.equals(task.getWorkerId())) {
      throw new WorkerRefusal(Kind.CONFLICT, "task " + taskId + " is locked by " + (task.getWorkerId() == null ? "no worker" : "another worker"));
    }
    if (!components.topicsIn(worker.pool()).contains(task.getTopicName())) {
      throw new WorkerRefusal(Kind.CONFLICT, "task " + taskId + " (topic " + task.getTopicName() + ") is not for pool " + worker.pool());
    }
    String component = components.component(task.getProcessDefinitionKey()).map(TaskComponent::name)
        .orElseThrow(() -> new WorkerRefusal(Kind.CONFLICT, "task " + taskId + " is not a task component's"));
    String[] step = stepOf(task.getProcessInstanceId());
    return transaction.execute(status -> {
      boolean first = runs.claim(taskId, component, worker.pool(), step[0], step[1], task.getProcessInstanceId(), workerId);
      if (first) {
        StoredResult result = work.stream().filter(w -> w.serves(task.getTopicName())).findFirst()
            .map(w -> w.run(component, task.getTopicName(), runtime.getVariables(task.getExecutionId())))
            .map(r -> new StoredResult(new LinkedHashMap<>(r.outputs()), r.pace().toMillis()))
            .orElse(new StoredResult(Map.of(), 0));
        runs.recordResult(taskId, write(result));
        return new RunStart(taskId, component, worker.pool(), true, 1, result.outputs(), result.paceMillis(), clock.instant());
      }
      StepRuns.StepRun run = runs.find(taskId).orElseThrow();
      StoredResult result = read(run.result());
      return new RunStart(taskId, component, worker.pool(), false, run.claims(), result.outputs(), result.paceMillis(),
          run.claimedAt());
    });
  }

  /**
   * The variables of a completion that the task's component does not declare; empty when the task
   * is not a component's external task (the engine answers for those).
   */
  public Set<String> undeclared(String taskId, Set<String> variables) {
    ExternalTask task = externalTasks.createExternalTaskQuery().externalTaskId(taskId).singleResult();
    if (task == null || components.component(task.getProcessDefinitionKey()).isEmpty()) {
      return Set.of();
    }
    Set<String> undeclared = new TreeSet<>(variables);
    undeclared.removeAll(components.outputs(task.getProcessDefinitionId()));
    return undeclared;
  }

  /** The engine took a completion: the run records who completed it. */
  public void completed(String taskId, String workerId) {
    runs.completed(taskId, workerId);
  }

  /** The composed instance and step that called a component instance (nulls outside a composition). */
  private String[] stepOf(String componentInstanceId) {
    HistoricProcessInstance called =
        history.createHistoricProcessInstanceQuery().processInstanceId(componentInstanceId).singleResult();
    if (called == null || called.getSuperProcessInstanceId() == null) {
      return new String[] {null, null};
    }
    String caller = called.getSuperProcessInstanceId();
    for (HistoricActivityInstance activity :
        history.createHistoricActivityInstanceQuery().processInstanceId(caller).activityType("callActivity").list()) {
      if (componentInstanceId.equals(activity.getCalledProcessInstanceId())) {
        return new String[] {caller, activity.getActivityId()};
      }
    }
    return new String[] {caller, null};
  }

  private String write(StoredResult result) {
    try {
      return json.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a step's outputs could not be written as JSON: " + e.getOriginalMessage(), e);
    }
  }

  private StoredResult read(String stored) {
    if (stored == null) {
      return new StoredResult(Map.of(), 0);
    }
    try {
      return json.readValue(stored, StoredResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a step run's recorded result is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
