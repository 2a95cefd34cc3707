package dev.flowcast.outlook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.FlowcastTest;
import dev.flowcast.resources.DemandOutlook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Requests and jobs read the outlook inside their transactions, each holding a database connection:
 * when the outlook expires, they must not wait for the one that works it out, which may itself need
 * a connection from the pool they fill (a bug seen in the cluster scenarios: every one of them
 * failed with "connection is not available", the requests with 503).
 */
@FlowcastTest
@TestPropertySource(properties = {
    "spring.datasource.url=jdbc:h2:mem:outlook-pool;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
    "spring.datasource.hikari.maximum-pool-size=4",
    // long enough for the transactions to end on a busy machine; the bug held them for good
    "spring.datasource.hikari.connection-timeout=10000"})
class OutlookUnderAFullPoolTest {

  static final int POOL = 4;

  @Autowired PredictedDemandOutlook outlook;
  @Autowired TransactionTemplate transactions;
  @Autowired JdbcClient jdbc;

  @Test
  void shouldAnswerTransactionsFromThePreviousOutlookWhileAnotherThreadWaitsForAConnectionToWorkItOut()
      throws Exception {
    // given an outlook worked out once, and expired a minute later
    Instant now = Instant.now();
    outlook.at(now, Duration.ofMinutes(5));
    Instant later = now.plusSeconds(60);
    long before = outlook.computations();
    ExecutorService threads = Executors.newFixedThreadPool(POOL + 1);
    CountDownLatch held = new CountDownLatch(POOL);
    CountDownLatch read = new CountDownLatch(1);
    // and as many transactions as the pool has connections, each holding one
    List<Future<DemandOutlook.Parts>> inTransactions = new ArrayList<>();
    for (int i = 0; i < POOL; i++) {
      inTransactions.add(threads.submit(() -> transactions.execute(status -> {
        jdbc.sql("select 1").query(Integer.class).single();
        held.countDown();
        await(read);
        return outlook.at(later, Duration.ofMinutes(5));
      })));
    }
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

    // when a thread outside any transaction starts working the outlook out (it needs a connection)
    Future<DemandOutlook.Parts> working = threads.submit(() -> outlook.at(later, Duration.ofMinutes(5)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!outlook.beingWorkedOut() && !working.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(5); // polled until the worker holds the outlook; it then waits for a connection
    }
    assertThat(outlook.beingWorkedOut()).as("the worker holds the outlook (done: %s)", working.isDone()).isTrue();
    // and the transactions read the outlook meanwhile
    read.countDown();

    // then the transactions are answered and end, the worker gets a connection, and all succeed
    for (Future<DemandOutlook.Parts> answer : inTransactions) {
      assertThat(answer.get(30, TimeUnit.SECONDS)).isNotNull();
    }
    assertThat(working.get(30, TimeUnit.SECONDS)).isNotNull();
    assertThat(outlook.computations() - before).isEqualTo(1);
    threads.shutdown();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
