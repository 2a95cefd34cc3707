package dev.flowcast.adaptive;

import dev.flowcast.config.ProcessKeys;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/**
 * The steps whose work failed right now: task component instances, called by a composed step,
 * with a job that threw (retries left or not). One query for the whole engine per check; the
 * composed instance of each is looked up only when something failed.
 */
class StepFailures {

  private final ManagementService management;
  private final RuntimeService runtime;

  StepFailures(ManagementService management, RuntimeService runtime) {
    this.management = management;
    this.runtime = runtime;
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
      if (key == null || !key.startsWith(ProcessKeys.COMPONENT_PREFIX) || job.getProcessInstanceId() == null) {
        continue;
      }
      ProcessInstance composed = runtime.createProcessInstanceQuery()
          .subProcessInstanceId(job.getProcessInstanceId()).singleResult();
      if (composed != null) {
        String attempts = job.getRetries() == 0 ? "retries exhausted, an incident" : job.getRetries() + " retries left";
        failures.computeIfAbsent(composed.getId(), id -> new HashMap<>())
            .put(key.substring(ProcessKeys.COMPONENT_PREFIX.length()), job.getExceptionMessage() + " (" + attempts + ")");
      }
    }
    return failures;
  }
}
