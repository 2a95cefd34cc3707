package dev.flowcast.adaptive;

import dev.flowcast.config.ProcessKeys;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.persistence.entity.ExternalTaskEntity;
import org.camunda.bpm.engine.impl.persistence.entity.JobDefinitionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The steps whose work failed right now: task component instances, called by a composed step,
 * with a job that threw or an external task a worker reported failed (retries left or not). One
 * query of each for the whole engine per check, which returns the failed ones only (every scoring
 * round asks, so its cost must not grow with the steps running); the composed instance of each is
 * looked up only when something failed.
 *
 * <p>The engine's jobs are the exception. Its table holds a job for every instance waiting at a
 * timer (a step's simulated or real wait, each queued request's next look) and has no index on a
 * job's failure, so finding the failed ones read them all: with 20,000 requests queued that read
 * was half of a composition's time. They are now found through the task components' job
 * definitions (decision 0044), and scoring still takes the jobs' failures as read at most one
 * {@code flowcast.adaptive.check-interval} ago (the adaptive check reads them afresh every tick);
 * the failures workers report are read afresh for every scoring round, from a table that holds only
 * the steps running on workers.
 */
class StepFailures {

  private final ManagementService management;
  private final RuntimeService runtime;
  private final JdbcClient jdbc;
  private final Supplier<Instant> clock;
  private final Duration jobFailuresMaxAge;
  private final ReentrantLock reading = new ReentrantLock();
  private volatile JobFailures lastJobFailures;

  /**
   * @param jdbc on the engine's own database (the plugin's tables live beside the engine's)
   * @param jobFailuresMaxAge how old the jobs' failures that scoring takes may be
   */
  StepFailures(ManagementService management, RuntimeService runtime, JdbcClient jdbc, Supplier<Instant> clock,
      Duration jobFailuresMaxAge) {
    this.management = management;
    this.runtime = runtime;
    this.jdbc = jdbc;
    this.clock = clock;
    this.jobFailuresMaxAge = jobFailuresMaxAge;
  }

  /** The components whose work is failing in some composed step right now (the jobs' as of one check interval). */
  Set<String> failingComponents() {
    Map<String, Map<String, String>> failures = new HashMap<>();
    recentJobFailures().forEach(failure -> add(failures, failure));
    addReportedByWorkers(failures);
    Set<String> failing = new HashSet<>();
    failures.values().forEach(byComponent -> failing.addAll(byComponent.keySet()));
    return failing;
  }

  /** Per composed instance, per component name: what the failed job or worker said. */
  Map<String, Map<String, String>> now() {
    Map<String, Map<String, String>> failures = new HashMap<>();
    readJobFailures().forEach(failure -> add(failures, failure));
    addReportedByWorkers(failures);
    return failures;
  }

  /**
   * The last read while it is recent; else read again, by one thread at a time: while one reads,
   * the others take the last read rather than all scanning the job table at once.
   */
  private List<Failure> recentJobFailures() {
    JobFailures last = lastJobFailures;
    if (last != null && (recent(last) || !reading.tryLock())) {
      return last.failures();
    }
    if (last == null) {
      reading.lock(); // nothing read yet: wait for the thread that reads
    }
    try {
      JobFailures meanwhile = lastJobFailures;
      return meanwhile != null && recent(meanwhile) ? meanwhile.failures() : readJobFailures();
    } finally {
      reading.unlock();
    }
  }

  private boolean recent(JobFailures read) {
    Duration age = Duration.between(read.readAt(), clock.get());
    return !age.isNegative() && age.compareTo(jobFailuresMaxAge) < 0;
  }

  /**
   * The failed jobs of task components only, found through their job definitions: the job table is
   * indexed by job definition but not by failure, and most of its rows are other processes' timers
   * (every queued request's next look), which the engine's job query ({@code withException()})
   * would read one by one.
   */
  private List<Failure> readJobFailures() {
    Instant readAt = clock.get();
    List<Failure> failures = jdbc.sql("select D.PROC_DEF_KEY_, J.PROCESS_INSTANCE_ID_, J.RETRIES_, J.EXCEPTION_MSG_"
            + " from " + management.getTableName(JobDefinitionEntity.class) + " D"
            + " join " + management.getTableName(JobEntity.class) + " J on J.JOB_DEF_ID_ = D.ID_"
            + " where D.PROC_DEF_KEY_ like :components"
            + " and (J.EXCEPTION_MSG_ is not null or J.EXCEPTION_STACK_ID_ is not null)")
        .param("components", ProcessKeys.COMPONENT_PREFIX + "%")
        .query((rs, row) -> new Failure(rs.getString("PROC_DEF_KEY_"), rs.getString("PROCESS_INSTANCE_ID_"),
            rs.getInt("RETRIES_"), rs.getString("EXCEPTION_MSG_")))
        .list();
    lastJobFailures = new JobFailures(readAt, failures);
    return failures;
  }

  /**
   * Work done by workers: a failure they reported. The engine's external task query has no filter
   * for it, and listing every external task reads one row per step running on a worker: the
   * engine's own table is read for the reported failures alone.
   */
  private void addReportedByWorkers(Map<String, Map<String, String>> failures) {
    jdbc.sql("select PROC_DEF_KEY_, PROC_INST_ID_, RETRIES_, ERROR_MSG_ from "
            + management.getTableName(ExternalTaskEntity.class)
            + " where ERROR_MSG_ is not null and RETRIES_ is not null")
        .query((ResultSet rs) -> {
          add(failures, new Failure(rs.getString("PROC_DEF_KEY_"), rs.getString("PROC_INST_ID_"),
              rs.getInt("RETRIES_"), rs.getString("ERROR_MSG_")));
        });
  }

  private void add(Map<String, Map<String, String>> failures, Failure failure) {
    String key = failure.processDefinitionKey();
    if (key == null || !key.startsWith(ProcessKeys.COMPONENT_PREFIX) || failure.componentInstanceId() == null) {
      return;
    }
    ProcessInstance composed =
        runtime.createProcessInstanceQuery().subProcessInstanceId(failure.componentInstanceId()).singleResult();
    if (composed != null) {
      String attempts = failure.retries() == 0 ? "retries exhausted, an incident" : failure.retries() + " retries left";
      failures.computeIfAbsent(composed.getId(), id -> new HashMap<>())
          .put(key.substring(ProcessKeys.COMPONENT_PREFIX.length()), failure.message() + " (" + attempts + ")");
    }
  }

  /** A job or external task that failed, in the task component's own instance. */
  private record Failure(String processDefinitionKey, String componentInstanceId, int retries, String message) {}

  private record JobFailures(Instant readAt, List<Failure> failures) {}
}
