package dev.flowcast.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.runtime.Job;
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

  private final ManagementService management;
  private final QueuedRequests queued;
  private final TransactionTemplate ownTransaction;
  private final Clock clock;

  QueuePull(ManagementService management, QueuedRequests queued, PlatformTransactionManager transactions,
      Clock clock) {
    this.management = management;
    this.queued = queued;
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
        Instant now = clock.instant();
        // the jobs' table by the name the engine gives it (it knows the tables' prefix)
        queued.earliestTimerNotDue(management.getTableName(Job.class), now)
            .ifPresent(timer -> management.setJobDuedate(timer, Date.from(now)));
      });
    } catch (ProcessEngineException e) {
      // another node's pull, or the timer firing meanwhile: the request's turn comes anyway
      log.debug("FLOWCAST-363 the queue's next turn was not pulled forward: {}", e.getMessage());
    }
  }
}
