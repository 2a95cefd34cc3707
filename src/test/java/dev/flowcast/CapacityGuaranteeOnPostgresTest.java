package dev.flowcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceDemand;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The capacity guarantee on the database of a cluster: every connection here is another node as
 * far as PostgreSQL knows, and no pool is ever promised more than it holds, however many reserve in
 * its last room at once. Runs when {@code FLOWCAST_TEST_POSTGRES_URL} names a database.
 */
@SpringBootTest(classes = FlowcastApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test", "postgres"})
@EnabledIfEnvironmentVariable(named = "FLOWCAST_TEST_POSTGRES_URL", matches = ".+")
@Import({IdleMachine.class, InProcessWorkers.class})
class CapacityGuaranteeOnPostgresTest {

  private static final int THREADS = 24;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> System.getenv("FLOWCAST_TEST_POSTGRES_URL"));
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> THREADS + 10);
  }

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired ReservationLedger ledger;
  @Autowired PlatformTransactionManager transactions;

  private EngineFixture fixture;
  private final List<String> holders = new ArrayList<>();

  @BeforeEach
  void setUp() {
    fixture = new EngineFixture(engine, composer, catalog);
    fixture.cancelRunningInstances();
    ledger.holdings().forEach(h -> ledger.release(h.processInstanceId()));
  }

  @AfterEach
  void tearDown() {
    fixture.cancelRunningInstances();
    fixture.resetPools();
    holders.forEach(ledger::release);
  }

  @Test
  void shouldNeverReserveMoreThanAPoolHoldsWhenManyReserveItsLastRoomAtOnce() throws Exception {
    // given a pool of 12 vCPU that already holds 7: room for five reservations of one
    String pool = "last-room-" + UUID.randomUUID();
    reserve("held-before", pool, 7);
    TransactionTemplate transaction = new TransactionTemplate(transactions);

    // when 24 threads, each in its own transaction, hold the pool, check what it holds and reserve one if it fits
    List<Boolean> reserved = all(THREADS, n -> transaction.execute(tx -> {
      ledger.holdPools(Set.of(pool));
      double held = ledger.heldPerPool().getOrDefault(pool, ResourceDemand.NONE).vcpu();
      if (held + 1 > 12) {
        return false;
      }
      reserve("thread-" + n, pool, 1);
      return true;
    }));

    // then exactly five got it, and the pool holds exactly its capacity
    assertThat(reserved).filteredOn(Boolean::booleanValue).hasSize(5);
    assertThat(ledger.heldPerPool().get(pool).vcpu()).isEqualTo(12.0);
  }

  @Test
  void shouldNeverPromiseAPoolMoreThanItHoldsWhenManyRequestsComposeAtOnce() throws Exception {
    // given pools with room for a few scale-service instances
    fixture.setAllPoolCapacities(12, 49_152);

    // when 24 requests compose at the same moment, each on a connection of its own
    List<CompositionResult> results = all(THREADS, n -> fixture.compose("alice", "scale-service"));

    // then some started and the rest queued; what is reserved fits every pool; every started
    // request has its one instance and its reservation, and no start that lost its room left one
    List<CompositionResult.Status> statuses = results.stream().map(CompositionResult::status).toList();
    assertThat(statuses).containsOnly(CompositionResult.Status.STARTED, CompositionResult.Status.QUEUED)
        .contains(CompositionResult.Status.STARTED, CompositionResult.Status.QUEUED);
    Map<String, ResourceDemand> held = ledger.heldPerPool();
    for (PricedPool priced : catalog.pools().values()) {
      ResourceDemand reserved = held.getOrDefault(priced.name(), ResourceDemand.NONE);
      assertThat(reserved.fitsIn(priced.capacity()))
          .as("%s holds %s of %s (%s)", priced.name(), reserved, priced.capacity(), statuses).isTrue();
    }
    Set<String> started = new HashSet<>();
    results.stream().filter(r -> r.status() == CompositionResult.Status.STARTED)
        .forEach(r -> started.add(r.processInstanceId()));
    Set<String> composedInstances = new HashSet<>();
    engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(ProcessKeys.composed("scale-service"))
        .list().forEach(instance -> composedInstances.add(instance.getId()));
    assertThat(composedInstances).isEqualTo(started);
    Set<String> holding = new HashSet<>();
    ledger.holdings().forEach(h -> holding.add(h.processInstanceId()));
    assertThat(holding).isEqualTo(started);
  }

  private void reserve(String holder, String pool, double vcpu) {
    ledger.reserve(holder, Map.of(pool, new ResourceDemand(vcpu, 0, 0, 0)));
    synchronized (holders) {
      holders.add(holder);
    }
  }

  /** Runs {@code work} on {@code threads} threads released at the same moment; their answers in order. */
  private static <T> List<T> all(int threads, Numbered<T> work) throws Exception {
    CountDownLatch ready = new CountDownLatch(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<T>> answers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int n = i;
      answers.add(pool.submit((Callable<T>) () -> {
        ready.countDown();
        ready.await();
        return work.run(n);
      }));
    }
    pool.shutdown();
    List<T> results = new ArrayList<>();
    for (Future<T> answer : answers) {
      results.add(answer.get(120, TimeUnit.SECONDS));
    }
    return results;
  }

  private interface Numbered<T> {
    T run(int n) throws Exception;
  }
}
