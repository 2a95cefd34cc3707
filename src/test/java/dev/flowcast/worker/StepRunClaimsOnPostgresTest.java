package dev.flowcast.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.PostgresSchemaOfItsOwn;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A run claimed again (its task's lock expired and another worker, or the same, fetched it again)
 * is counted on PostgreSQL too, within the transaction that starts the run, instead of failing it:
 * a failed statement aborts a PostgreSQL transaction, and the worker asking again was answered 500
 * at every try, so its step never ended. Runs when {@code FLOWCAST_TEST_POSTGRES_URL} names a
 * database; the table is the migration's own, in a schema of the test's.
 */
@EnabledIfEnvironmentVariable(named = "FLOWCAST_TEST_POSTGRES_URL", matches = ".+")
class StepRunClaimsOnPostgresTest {

  private PostgresSchemaOfItsOwn schema;
  private SingleConnectionDataSource database;
  private JdbcClient jdbc;

  @BeforeEach
  void createTheTableInASchemaOfItsOwn() throws IOException {
    schema = new PostgresSchemaOfItsOwn("step_runs_");
    database = schema.connection();
    jdbc = JdbcClient.create(database);
    schema.run(StepRunTable.ofTheMigrations());
  }

  @AfterEach
  void dropTheSchema() {
    schema.close();
  }

  @Test
  void shouldCountASecondClaimOfARunInsteadOfFailingItsTransaction() {
    // given a run claimed and worked once
    StepRuns runs = new StepRuns(jdbc, Clock.systemUTC());
    TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(database));
    Boolean first = transaction.execute(tx -> claim(runs, "worker-1"));

    // when another worker claims it again, in a transaction that goes on after the claim
    Boolean again = transaction.execute(tx -> {
      boolean claimed = claim(runs, "worker-2");
      runs.find("run-1").orElseThrow();
      return claimed;
    });

    // then the first claim did the work, the second is counted, and the run keeps its first worker
    assertThat(first).isTrue();
    assertThat(again).isFalse();
    StepRuns.StepRun run = runs.find("run-1").orElseThrow();
    assertThat(run.claims()).isEqualTo(2);
    assertThat(run.firstWorker()).isEqualTo("worker-1");
  }

  @Test
  void shouldAnswerTheSecondOfTwoFirstClaimsAtTheSameMomentBusyAndCountItWhenAskedAgain() throws Exception {
    // given a first claim recorded in a transaction that has not committed yet
    SingleConnectionDataSource secondWorkers = schema.anotherConnection();
    SingleConnectionDataSource watching = schema.anotherConnection();
    JdbcClient secondJdbc = JdbcClient.create(secondWorkers);
    TransactionTemplate first = new TransactionTemplate(new DataSourceTransactionManager(database));
    TransactionTemplate second = new TransactionTemplate(new DataSourceTransactionManager(secondWorkers));
    CountDownLatch claimed = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    CompletableFuture<Boolean> firstClaim = CompletableFuture.supplyAsync(() -> first.execute(tx -> {
      boolean firstOne = claim(new StepRuns(jdbc, Clock.systemUTC()), "worker-1");
      claimed.countDown();
      Eventually.untilLetGo(commit);
      return firstOne;
    }));
    assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();

    // when another worker's first claim of the same run reaches the key meanwhile (it waits for that transaction)
    CompletableFuture<Boolean> secondClaim = CompletableFuture.supplyAsync(() -> second.execute(tx ->
        claim(new StepRuns(secondJdbc, Clock.systemUTC()), "worker-2")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (JdbcClient.create(watching).sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
        + " and datname = current_database()").query(Long.class).single() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20); // polled until the second claim waits at the key
    }
    commit.countDown();

    // then the first does the work, the second is told to ask again, and asked again it is counted
    assertThat(firstClaim.get(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> secondClaim.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StepWork.StepBusyException.class);
    Boolean again = second.execute(tx -> claim(new StepRuns(secondJdbc, Clock.systemUTC()), "worker-2"));
    assertThat(again).isFalse();
    StepRuns.StepRun run = new StepRuns(jdbc, Clock.systemUTC()).find("run-1").orElseThrow();
    assertThat(run.claims()).isEqualTo(2);
    assertThat(run.firstWorker()).isEqualTo("worker-1");
  }


  private static boolean claim(StepRuns runs, String worker) {
    return runs.claim("run-1", "restore-snapshot", "on-demand", "instance-1", "step_2_restore", "component-1", worker);
  }
}
