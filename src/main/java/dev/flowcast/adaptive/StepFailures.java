package dev.flowcast.adaptive;

import dev.flowcast.config.ProcessKeys;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/**
 * The steps whose work failed right now: task component instances, called by a composed step,
 * with a job that threw or an external task a worker reported failed (retries left or not). One
 * query of each for the whole engine per check; the
 * composed instance of each is looked up only when something failed.
 */
class StepFailures {

  private final ManagementService management;
  private final RuntimeService runtime;
  private final ExternalTaskService externalTasks;

  StepFailures(ManagementService management, RuntimeService runtime, ExternalTaskService externalTasks) {
    this.management = management;
    this.runtime = runtime;
    this.externalTasks = externalTasks;
  }

  /** The components whose work is failing in some composed step right now. */
  Set<String> failingComponents() {
    Set<String> failing = new HashSet<>();
    now().values().forEach(byComponent -> failing.addAll(byComponent.keySet()));
    return failing;
  }

  /** Per composed instance, per component name: what the failed job said. */
  Map<String, Map<String, String>> now() {
    Map<String, Map<String, String>> failures = new HashMap<>();
    for (Job job : management.createJobQuery().withException().list()) {
      String key = job.getProcessDefinitionKey();
      add(failures, key, job.getProcessInstanceId(), job.getRetries(), job.getExceptionMessage());
    }
    // work done by workers: a failure they reported (the engine has no query for it: read the
    // external tasks, one row each for the running steps on workers)
    for (ExternalTask task : externalTasks.createExternalTaskQuery().list()) {
      if (task.getErrorMessage() != null && task.getRetries() != null) {
        add(failures, task.getProcessDefinitionKey(), task.getProcessInstanceId(), task.getRetries(), task.getErrorMessage());
      }
    }
    return failures;
  }

  private void add(Map<String, Map<String, String>> failures, String key, String componentInstanceId, int retries,
      String message) {
    if (key == null || !key.startsWith(ProcessKeys.COMPONENT_PREFIX) || componentInstanceId == null) {
      return;
    }
    ProcessInstance composed = runtime.createProcessInstanceQuery().subProcessInstanceId(componentInstanceId).singleResult();
    if (composed != null) {
      String attempts = retries == 0 ? "retries exhausted, an incident" : retries + " retries left";
      failures.computeIfAbsent(composed.getId(), id -> new HashMap<>())
          .put(key.substring(ProcessKeys.COMPONENT_PREFIX.length()), message + " (" + attempts + ")");
    }
  }
}
