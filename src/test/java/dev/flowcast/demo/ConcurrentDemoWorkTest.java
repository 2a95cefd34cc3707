package dev.flowcast.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.FlowcastTest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Concurrent instances of the demo's components that write the same demo table (restore rebuilds
 * the replica, replication appends to it) take turns for the moment of their real work and do not
 * hold each other up through their simulated time: under load they once held their row locks for
 * their whole simulated duration, ran into lock timeouts, exhausted their retries and stopped as
 * incidents. Here the database gives up on a lock after 2 s, and each restore simulates 3 s.
 */
@FlowcastTest
@TestPropertySource(properties = {
    "flowcast.demo.time-scale=0.1",
    "spring.datasource.url=jdbc:h2:mem:concurrent-demo-work;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=2000"})
class ConcurrentDemoWorkTest {

  @Autowired ProcessEngine engine;
  @Autowired JdbcClient jdbc;

  @Test
  void shouldRunRestoresAndReplicationOfConcurrentInstancesWithoutLockTimeouts() throws Exception {
    // given a snapshot to restore from; two restores and a replication waiting at their work
    String snapshot = engine.getRuntimeService().startProcessInstanceByKey("component-snapshot-full").getId();
    execute(jobOf(snapshot));
    Job firstRestore = jobOf(engine.getRuntimeService().startProcessInstanceByKey("component-restore-snapshot").getId());
    Job secondRestore = jobOf(engine.getRuntimeService().startProcessInstanceByKey("component-restore-snapshot").getId());
    Job replication = jobOf(engine.getRuntimeService().startProcessInstanceByKey("component-replicate-stream").getId());
    jdbc.sql("delete from demo_orders_replica").update();

    // when they run at the same time, the others starting once the first restore's real work has
    // committed (the replica is filled) and its simulated time has begun
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> execute(firstRestore));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (replicaRows() == 0 && !first.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(10); // polled until the first restore has committed its work
    }
    assertThat(replicaRows()).as("the first restore's rows").isPositive();
    CompletableFuture<Void> second = CompletableFuture.runAsync(() -> execute(secondRestore));
    CompletableFuture<Void> third = CompletableFuture.runAsync(() -> execute(replication));

    // then every one succeeds, and the replica holds every order once
    CompletableFuture.allOf(first, second, third).get();
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().count()).isZero();
    Long orders = jdbc.sql("select count(*) from demo_orders").query(Long.class).single();
    assertThat(replicaRows()).isEqualTo(orders);
  }

  private long replicaRows() {
    return jdbc.sql("select count(*) from demo_orders_replica").query(Long.class).single();
  }

  private void execute(Job job) {
    engine.getManagementService().executeJob(job.getId());
  }

  private Job jobOf(String processInstanceId) {
    return engine.getManagementService().createJobQuery().processInstanceId(processInstanceId).singleResult();
  }
}
