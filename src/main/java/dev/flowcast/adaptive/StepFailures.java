package dev.flowcast.adaptive;

import dev.flowcast.config.ProcessKeys;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.persistence.entity.ExternalTaskEntity;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The steps whose work failed right now: task component instances, called by a composed step,
 * with a job that threw or an external task a worker reported failed (retries left or not). One
 * query of each for the whole engine per check, which returns the failed ones only (every scoring
 * round asks, so its cost must not grow with the steps running); the composed instance of each is
 * looked up only when something failed.
 */
class StepFailures {

  private final ManagementService management;
  private final RuntimeService runtime;
  private final JdbcClient jdbc;

  /** @param jdbc on the engine's own database (the plugin's tables live beside the engine's) */
  StepFailures(ManagementService management, RuntimeService runtime, JdbcClient jdbc) {
    this.management = management;
    this.runtime = runtime;
    this.jdbc = jdbc;
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
    // work done by workers: a failure they reported. The engine's external task query has no
    // filter for it, and listing every external task reads one row per step running on a worker:
    // the engine's own table is read for the reported failures alone.
    jdbc.sql("select PROC_DEF_KEY_, PROC_INST_ID_, RETRIES_, ERROR_MSG_ from "
            + management.getTableName(ExternalTaskEntity.class)
            + " where ERROR_MSG_ is not null and RETRIES_ is not null")
        .query((ResultSet rs) -> {
          add(failures, rs.getString("PROC_DEF_KEY_"), rs.getString("PROC_INST_ID_"), rs.getInt("RETRIES_"),
              rs.getString("ERROR_MSG_"));
        });
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
