package dev.flowcast.composer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceDemand;
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
import org.springframework.test.context.TestPropertySource;

/**
 * Requests choose their workflow without the capacity lock and take it only to reserve: when many
 * compose at once with room for a few, each checks under the lock that its choice still fits, so
 * no pool is ever promised more than it holds.
 */
@FlowcastTest
@TestPropertySource(properties =
    "spring.datasource.url=jdbc:h2:mem:concurrent-composition;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000")
class ConcurrentCompositionTest {

  private static final int REQUESTS = 16;

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired ReservationLedger ledger;

  private EngineFixture fixture;

  @AfterEach
  void putPoolsBack() {
    fixture.cancelRunningInstances();
    fixture.resetPools();
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
}
