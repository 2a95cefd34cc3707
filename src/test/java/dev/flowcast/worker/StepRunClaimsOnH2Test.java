package dev.flowcast.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two first claims of one run at the same moment on H2 (the default database): the second waits
 * for the first's row and H2 gives up waiting (its lock time-out, short here). That is answered busy,
 * as PostgreSQL's taken key is, not a failure: a ten-minute load run answered a worker 500 for it.
 */
class StepRunClaimsOnH2Test {

  private SingleConnectionDataSource firstWorkers;
  private SingleConnectionDataSource secondWorkers;

  @BeforeEach
  void createTheTableInADatabaseOfItsOwn() throws IOException {
    String url = "jdbc:h2:mem:claims-" + UUID.randomUUID() + ";LOCK_TIMEOUT=300";
    firstWorkers = new SingleConnectionDataSource(url, "sa", "", true);
    secondWorkers = new SingleConnectionDataSource(url, "sa", "", true);
    JdbcClient.create(firstWorkers).sql(StepRunTable.ofTheMigrations()).update();
  }

  @AfterEach
  void closeTheConnections() {
    secondWorkers.destroy();
    firstWorkers.destroy();
  }

  @Test
  void shouldAnswerTheSecondOfTwoFirstClaimsBusyWhenH2GivesUpWaitingForTheFirst() throws Exception {
    // given a first claim recorded in a transaction that has not committed yet
    TransactionTemplate first = new TransactionTemplate(new DataSourceTransactionManager(firstWorkers));
    TransactionTemplate second = new TransactionTemplate(new DataSourceTransactionManager(secondWorkers));
    CountDownLatch claimed = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    CompletableFuture<Boolean> firstClaim = CompletableFuture.supplyAsync(() -> first.execute(tx -> {
      boolean firstOne = claim(firstWorkers, "worker-1");
      claimed.countDown();
      Eventually.untilLetGo(commit);
      return firstOne;
    }));
    assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();

    // when another worker's first claim of the same run reaches the row meanwhile
    // then it is told to ask again
    assertThatThrownBy(() -> second.execute(tx -> claim(secondWorkers, "worker-2")))
        .isInstanceOf(StepWork.StepBusyException.class);

    // and once the first has committed, asked again it is counted
    commit.countDown();
    assertThat(firstClaim.get(10, TimeUnit.SECONDS)).isTrue();
    Boolean again = second.execute(tx -> claim(secondWorkers, "worker-2"));
    assertThat(again).isFalse();
    StepRuns.StepRun run = new StepRuns(JdbcClient.create(firstWorkers), Clock.systemUTC()).find("run-1").orElseThrow();
    assertThat(run.claims()).isEqualTo(2);
    assertThat(run.firstWorker()).isEqualTo("worker-1");
  }

  private static boolean claim(SingleConnectionDataSource database, String worker) {
    return new StepRuns(JdbcClient.create(database), Clock.systemUTC())
        .claim("run-1", "restore-snapshot", "spot", "instance-1", "step_1_restore", "component-instance-1", worker);
  }
}
