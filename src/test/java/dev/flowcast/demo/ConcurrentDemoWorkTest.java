package dev.flowcast.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.FlowcastTest;
import dev.flowcast.InProcessWorkers;
import dev.flowcast.worker.StepRuns;
import dev.flowcast.worker.WorkerRegistry;
import dev.flowcast.worker.WorkerService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Concurrent instances of the demo's components that write the same demo table (restore rebuilds
 * the replica, replication appends to it) take turns for the moment of their real work: under load
 * they once held their row locks for their whole simulated duration, ran into lock timeouts,
 * exhausted their retries and stopped as incidents. Their work now runs for workers, once per step
 * run, and the simulated time is the worker's; here the database gives up on a lock after 2 s.
 */
@FlowcastTest
@TestPropertySource(properties = {
    "flowcast.demo.time-scale=0.1",
    "spring.datasource.url=jdbc:h2:mem:concurrent-demo-work;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=2000"})
class ConcurrentDemoWorkTest {

  @Autowired ProcessEngine engine;
  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transaction;
  @Autowired WorkerService workers;
  @Autowired WorkerRegistry registry;
  @Autowired StepRuns runs;
  @Autowired TestRestTemplate rest;
  @Autowired ObjectMapper json;

  @Test
  void shouldAnswerAWorkerWhoseRestoreFindsTheReplicaTakenAtOnceAndRunItWhenAskedAgain() throws Exception {
    // given a restore fetched by a worker, and another step's work holding the replica
    assertThat(work(start("component-snapshot-full"))).isOne();
    String restore = start("component-restore-snapshot");
    ExternalTask task = engine.getExternalTaskService().createExternalTaskQuery().processInstanceId(restore).singleResult();
    registry.register("worker-turns", "on-demand", 1, "test");
    engine.getExternalTaskService().lock(task.getId(), "worker-turns", 60_000);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(tx -> {
      jdbc.sql("select name from demo_lock where name = 'replica' for update").query(String.class).single();
      held.countDown();
      await(letGo);
    }));
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

    // when the worker starts the run, through the API as a worker process does
    ResponseEntity<String> busy = rest.withBasicAuth("demo", "demo")
        .postForEntity("/flowcast/api/workers/worker-turns/runs/" + task.getId(), null, String.class);

    // then it is told to ask again (not failed by the database's lock time-out, the holder being
    // still there), and nothing of the run is kept
    assertThat(busy.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(busy.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
    assertThat(json.readTree(busy.getBody()).get("message").asText())
        .isEqualTo("another step is rebuilding or replicating to the demo replica; ask again in 1 s");
    assertThat(runs.find(task.getId())).isEmpty();

    // and once the other step's work has committed, asking again runs it
    letGo.countDown();
    holder.get(10, TimeUnit.SECONDS);
    WorkerService.RunStart run = workers.start("worker-turns", task.getId());
    assertThat(run.firstClaim()).isTrue();
    assertThat(run.outputs()).containsKey("restoredRows");
    engine.getExternalTaskService().complete(task.getId(), "worker-turns", run.outputs());
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(restore).count()).isZero();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void shouldRunRestoresAndReplicationOfConcurrentInstancesWithoutLockTimeouts() throws Exception {
    // given a snapshot to restore from; two restores and a replication waiting for a worker
    String snapshot = start("component-snapshot-full");
    assertThat(work(snapshot)).isOne();
    String firstRestore = start("component-restore-snapshot");
    String secondRestore = start("component-restore-snapshot");
    String replication = start("component-replicate-stream");
    jdbc.sql("delete from demo_orders_replica").update();

    // when workers run them at the same time, the others starting once the first restore's real
    // work has committed (the replica is filled)
    CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> work(firstRestore));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (replicaRows() == 0 && !first.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(10); // polled until the first restore has committed its work
    }
    assertThat(replicaRows()).as("the first restore's rows").isPositive();
    CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> work(secondRestore));
    CompletableFuture<Integer> third = CompletableFuture.supplyAsync(() -> work(replication));

    // then every one succeeds, and the replica holds every order once
    CompletableFuture.allOf(first, second, third).get();
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().count()).isZero();
    assertThat(engine.getExternalTaskService().createExternalTaskQuery().count()).isZero();
    Long orders = jdbc.sql("select count(*) from demo_orders").query(Long.class).single();
    assertThat(replicaRows()).isEqualTo(orders);
  }

  private long replicaRows() {
    return jdbc.sql("select count(*) from demo_orders_replica").query(Long.class).single();
  }

  private String start(String key) {
    return engine.getRuntimeService().startProcessInstanceByKey(key, Map.of("flowcastPool", "on-demand")).getId();
  }

  /** What a worker of the pool does with the instance's external task; how many it ran. */
  private int work(String processInstanceId) {
    return InProcessWorkers.of(engine).runExternalTasks(List.of(processInstanceId));
  }
}
