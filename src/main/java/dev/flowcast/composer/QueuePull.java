package dev.flowcast.composer;

import dev.flowcast.config.ProcessKeys;
import dev.flowcast.config.ProcessVariables;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * When a queued request has started, the next one's turn comes at once instead of at its timer: the
 * timer of the waiting request with the earliest deadline among those not yet due is made due now.
 * So while there is room the queue drains one start after another, in deadline order, as fast as the
 * job executor composes, instead of {@code flowcast.queue.retries-per-tick} requests per tick; when
 * a pulled request finds no room, nothing more is pulled and the timers take over again.
 *
 * <p>The pull is made once the start has committed (a start rolled back pulls nothing), in a
 * transaction of its own: the retry's transaction has ended by then, and inside it a second pull of
 * the same timer (another node's retry, a timer fired meanwhile) would fail the start itself at its
 * commit. Here such a conflict loses only the pull.
 */
final class QueuePull {

  private static final Logger log = LoggerFactory.getLogger(QueuePull.class);

  private static final String JOBS = "ACT_RU_JOB";
  private static final String VARIABLES = "ACT_RU_VARIABLE";

  /**
   * The waiting queue instance with the earliest deadline whose timer is not due yet (a timer that is
   * due fires on its own; one locked is firing). Table names come from the engine, which knows their
   * prefix (the variables' table has no API type to ask by: it takes the prefix of the jobs'); the
   * deadline is a date variable, kept as milliseconds in {@code LONG_}.
   */
  private static final String NEXT_NOT_DUE = """
      select E.* from %1$s E
        join %2$s V on V.PROC_INST_ID_ = E.ID_ and V.EXECUTION_ID_ = E.ID_ and V.NAME_ = #{deadline}
        join %3$s J on J.PROCESS_INSTANCE_ID_ = E.ID_
        join %4$s D on D.ID_ = E.PROC_DEF_ID_
       where E.ID_ = E.PROC_INST_ID_ and D.KEY_ = #{queue}
         and J.TYPE_ = 'timer' and J.DUEDATE_ > #{now} and J.LOCK_OWNER_ is null
       order by V.LONG_ asc, E.ID_ asc""";

  private final ManagementService management;
  private final RuntimeService runtime;
  private final TransactionTemplate ownTransaction;
  private final Clock clock;

  QueuePull(ManagementService management, RuntimeService runtime, PlatformTransactionManager transactions,
      Clock clock) {
    this.management = management;
    this.runtime = runtime;
    this.ownTransaction = new TransactionTemplate(transactions);
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.clock = clock;
  }

  /** Pulls the next turn once the current transaction (the queue's job that started a request) commits. */
  void afterCommit() {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      // no transaction to wait for: the timers alone give the turns
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCommit() {
        pullNext();
      }
    });
  }

  /** Makes the earliest deadline's timer due now, among the waiting requests whose timers are not due yet. */
  void pullNext() {
    try {
      ownTransaction.executeWithoutResult(status -> {
        Date now = Date.from(clock.instant());
        String jobs = management.getTableName(Job.class);
        String variables = jobs.substring(0, jobs.length() - JOBS.length()) + VARIABLES;
        List<ProcessInstance> next = runtime.createNativeProcessInstanceQuery().sql(String.format(Locale.ROOT,
                NEXT_NOT_DUE, management.getTableName(ProcessInstance.class), variables, jobs,
                management.getTableName(ProcessDefinition.class)))
            .parameter("deadline", ProcessVariables.DEADLINE).parameter("queue", ProcessKeys.QUEUE)
            .parameter("now", now).listPage(0, 1);
        if (next.isEmpty()) {
          return;
        }
        Job timer = management.createJobQuery().processInstanceId(next.get(0).getId()).timers().singleResult();
        if (timer != null) {
          management.setJobDuedate(timer.getId(), now);
        }
      });
    } catch (ProcessEngineException e) {
      // another node's pull, or the timer firing meanwhile: the request's turn comes anyway
      log.debug("FLOWCAST-363 the queue's next turn was not pulled forward: {}", e.getMessage());
    }
  }
}
