package dev.flowcast.composer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceDemand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Requests choose and start their workflow without any lock and take the locks of its pools only to
 * reserve: when many compose at once with room for a few, each checks under the locks that its
 * choice still fits, so no pool is ever promised more than it holds. A start that lost its room
 * meanwhile is rolled back in its own transaction; a queued request that the queue's job tries again
 * is checked before anything is started, so that losing its room leaves the job's transaction
 * unharmed and the request queued.
 */
@FlowcastTest
@TestPropertySource(properties =
    "spring.datasource.url=jdbc:h2:mem:concurrent-composition;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000")
class ConcurrentCompositionTest {

  private static final int REQUESTS = 16;
  private static final String TAKEN_MEANWHILE = "taken-meanwhile";

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired ReservationLedger ledger;
  @Autowired PlatformTransactionManager transactions;
  @Autowired JdbcClient jdbc;
  @Autowired DecisionLog decisions;

  private EngineFixture fixture;

  @AfterEach
  void putPoolsBack() {
    fixture.cancelRunningInstances();
    fixture.resetPools();
    ledger.release(TAKEN_MEANWHILE);
  }

  @Test
  void shouldNeverReserveMoreThanAPoolHoldsWhenManyRequestsComposeAtOnce() throws Exception {
    // given pools with room for a few scale-service instances
    fixture = new EngineFixture(engine, composer, catalog);
    fixture.setAllPoolCapacities(12, 49_152);

    // when sixteen requests compose at the same moment
    CountDownLatch ready = new CountDownLatch(REQUESTS);
    ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
    List<Future<CompositionResult>> answers = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      answers.add(pool.submit(() -> {
        ready.countDown();
        ready.await();
        return fixture.compose("alice", "scale-service");
      }));
    }
    pool.shutdown();
    List<CompositionResult.Status> statuses = new ArrayList<>();
    for (Future<CompositionResult> answer : answers) {
      statuses.add(answer.get(60, TimeUnit.SECONDS).status());
    }

    // then some started, the rest queued, and what is reserved fits every pool
    assertThat(statuses).containsOnly(CompositionResult.Status.STARTED, CompositionResult.Status.QUEUED);
    assertThat(statuses).as("statuses").contains(CompositionResult.Status.STARTED, CompositionResult.Status.QUEUED);
    Map<String, ResourceDemand> held = ledger.heldPerPool();
    for (PricedPool priced : catalog.pools().values()) {
      ResourceDemand reserved = held.getOrDefault(priced.name(), ResourceDemand.NONE);
      assertThat(reserved.fitsIn(priced.capacity()))
          .as("%s holds %s of %s (%s)", priced.name(), reserved, priced.capacity(), statuses).isTrue();
    }
  }

  @Test
  void shouldRollTheStartBackWhenItsCapacityIsTakenWhileItWaitsForThePools() throws Exception {
    // given a request that chose its workflow while the pools were free, and waits for their locks
    fixture = new EngineFixture(engine, composer, catalog);
    fixture.setAllPoolCapacities(12, 49_152);
    Instant asked = Instant.now();
    poolsReservedInBefore();
    ExecutorService requester = Executors.newSingleThreadExecutor();
    Future<CompositionResult> answer = new TransactionTemplate(transactions).execute(tx -> {
      ledger.holdPools(catalog.pools().keySet());
      Future<CompositionResult> composing = requester.submit(() -> fixture.compose("alice", "scale-service"));
      awaitASessionWaitingForALock();

      // when another node takes all of every pool and lets go
      catalog.pools().values().forEach(pool -> ledger.reserve(TAKEN_MEANWHILE, Map.of(pool.name(), pool.capacity())));
      return composing;
    });
    requester.shutdown();
    CompositionResult result = answer.get(60, TimeUnit.SECONDS);

    // then the request is queued, its instance is gone with the rolled-back start, and it holds nothing
    assertThat(result.status()).isEqualTo(CompositionResult.Status.QUEUED);
    assertThat(engine.getRuntimeService().createProcessInstanceQuery()
        .processDefinitionKey(ProcessKeys.composed("scale-service")).count()).isZero();
    assertThat(ledger.holdings()).extracting(ReservationLedger.Holding::processInstanceId)
        .containsOnly(TAKEN_MEANWHILE);
    // and its one decision is the queueing, under an id the rolled-back start did not use
    assertThat(compositionsSince(asked)).extracting(Decision::status).containsExactly("QUEUED");
    assertThat(compositionsSince(asked)).extracting(Decision::id).containsExactly(result.decisionId());
  }

  @Test
  void shouldLeaveAQueuedRequestQueuedWhenItsRoomIsTakenWhileTheQueuesJobWaitsForThePools() throws Exception {
    // given a request queued while nothing fitted, and room for it once capacity frees up
    fixture = new EngineFixture(engine, composer, catalog);
    fixture.setAllPoolCapacities(0.1, 64);
    CompositionResult queuedFirst = fixture.compose("alice", "scale-service");
    assertThat(queuedFirst.status()).isEqualTo(CompositionResult.Status.QUEUED);
    String queue = queuedFirst.processInstanceId();
    fixture.setAllPoolCapacities(12, 49_152);
    Instant asked = Instant.now();
    poolsReservedInBefore();

    // when the queue's job tries it again, chooses while the pools are free and waits for their
    // locks, and meanwhile another node takes all of every pool and lets go
    ExecutorService jobExecutor = Executors.newSingleThreadExecutor();
    Future<?> job = new TransactionTemplate(transactions).execute(tx -> {
      ledger.holdPools(catalog.pools().keySet());
      Future<?> retrying = jobExecutor.submit(() -> fixture.fireTimers(queue));
      awaitASessionWaitingForALock();
      catalog.pools().values().forEach(pool -> ledger.reserve(TAKEN_MEANWHILE, Map.of(pool.name(), pool.capacity())));
      return retrying;
    });
    jobExecutor.shutdown();

    // then the job ends without failing (no transaction marked rollback-only, no decision row twice),
    // the request is still queued, nothing is started or held for it, and its one try is logged once
    job.get(60, TimeUnit.SECONDS);
    assertThat(fixture.instance(queue)).as("the queued request").isNotNull();
    assertThat(engine.getManagementService().createJobQuery().processInstanceId(queue).withException().count())
        .as("failed jobs").isZero();
    assertThat(engine.getRuntimeService().createProcessInstanceQuery()
        .processDefinitionKey(ProcessKeys.composed("scale-service")).count()).isZero();
    assertThat(ledger.holdings()).extracting(ReservationLedger.Holding::processInstanceId)
        .containsOnly(TAKEN_MEANWHILE);
    assertThat(retriesOf(queue)).extracting(Decision::status).containsExactly("QUEUED");
    assertThat(compositionsSince(asked)).isEmpty();

    // and when the room is free again, its next try starts it, with one decision row per try
    ledger.release(TAKEN_MEANWHILE);
    fixture.fireTimers(queue);
    assertThat(fixture.instance(queue)).as("the queued request").isNull();
    assertThat(retriesOf(queue)).extracting(Decision::status).containsExactlyInAnyOrder("QUEUED", "STARTED");
    List<Decision> started = compositionsSince(asked);
    assertThat(started).extracting(Decision::status).containsExactly("STARTED");
    assertThat(ledger.holdings()).extracting(ReservationLedger.Holding::processInstanceId)
        .containsOnly(started.get(0).processInstanceId());
  }

  /** Every pool has its lock row, as once anything was reserved in it: the waits below are for the rows' locks. */
  private void poolsReservedInBefore() {
    new TransactionTemplate(transactions).executeWithoutResult(tx -> ledger.holdPools(catalog.pools().keySet()));
  }

  private List<Decision> retriesOf(String queue) {
    return decisions.find(new DecisionQuery(null, queue, null, Decision.Kind.QUEUE_RETRY, null, 100));
  }

  private List<Decision> compositionsSince(Instant since) {
    return decisions.find(new DecisionQuery("alice", null, null, Decision.Kind.COMPOSITION, since, 100));
  }

  /** Until the request's session waits for a lock this test's transaction holds (H2 names who blocks whom). */
  private void awaitASessionWaitingForALock() {
    for (int i = 0; i < 600; i++) {
      Long waiting = jdbc.sql("select count(*) from information_schema.sessions where blocker_id is not null")
          .query(Long.class).single();
      if (waiting > 0) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("the request never waited for the pools' locks");
  }
}
