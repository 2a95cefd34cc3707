package dev.flowcast.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.PostgresSchemaOfItsOwn;
import dev.flowcast.worker.StepWork;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A worker's restore or replication that finds the demo replica taken is refused at once on
 * PostgreSQL too: there a {@code nowait} lock fails with {@code lock_not_available}, which Spring's
 * default translation leaves uncategorized, and the worker was answered 500 and dropped its task
 * until the task's lock ran out. Runs when {@code FLOWCAST_TEST_POSTGRES_URL} names a database; the
 * table is the migration's own, in a schema of the test's.
 */
@EnabledIfEnvironmentVariable(named = "FLOWCAST_TEST_POSTGRES_URL", matches = ".+")
class ReplicaTurnsOnPostgresTest {

  private PostgresSchemaOfItsOwn schema;
  private SingleConnectionDataSource holder;
  private SingleConnectionDataSource worker;

  @BeforeEach
  void createTheLockTableInASchemaOfItsOwn() throws IOException {
    schema = new PostgresSchemaOfItsOwn("replica_turns_");
    holder = schema.connection();
    worker = schema.anotherConnection();
    try (InputStream sql = ReplicaTurnsOnPostgresTest.class.getResourceAsStream("/db/demo/V101__demo_replica_lock.sql")) {
      schema.run(new String(sql.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @AfterEach
  void dropTheSchema() {
    schema.close();
  }

  @Test
  void shouldRefuseAWorkersTurnAtOnceWhileAnotherStepHoldsTheReplicaAndGiveItOnceItIsFree() {
    // given another step's work holding the replica, in a transaction not yet committed
    TransactionTemplate holding = new TransactionTemplate(new DataSourceTransactionManager(holder));
    TransactionTemplate working = new TransactionTemplate(new DataSourceTransactionManager(worker));
    JdbcClient workersJdbc = JdbcClient.create(worker);

    holding.executeWithoutResult(tx -> {
      DemoData.lockReplica(JdbcClient.create(holder), DemoStep.Turn.WAIT);

      // when a worker's step asks for its turn meanwhile, then it is refused with a wait, not failed
      assertThatThrownBy(() -> working.executeWithoutResult(
              work -> DemoData.lockReplica(workersJdbc, DemoStep.Turn.REFUSE)))
          .isInstanceOf(StepWork.StepBusyException.class)
          .hasMessage("another step is rebuilding or replicating to the demo replica");
    });

    // and once the other step has committed, it has its turn
    Boolean hadItsTurn = working.execute(work -> {
      DemoData.lockReplica(workersJdbc, DemoStep.Turn.REFUSE);
      return true;
    });
    assertThat(hadItsTurn).isTrue();
  }
}
