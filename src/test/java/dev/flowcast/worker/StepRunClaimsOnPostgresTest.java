package dev.flowcast.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  private final String schema = "step_runs_" + UUID.randomUUID().toString().replace("-", "");
  private SingleConnectionDataSource database;
  private JdbcClient jdbc;

  @BeforeEach
  void createTheTableInASchemaOfItsOwn() throws IOException {
    database = new SingleConnectionDataSource(System.getenv("FLOWCAST_TEST_POSTGRES_URL"), "flowcast", "flowcast", true);
    jdbc = JdbcClient.create(database);
    jdbc.sql("create schema " + schema).update();
    jdbc.sql("set search_path to " + schema).update();
    jdbc.sql(stepRunTableOfTheMigrations()).update();
  }

  @AfterEach
  void dropTheSchema() {
    jdbc.sql("drop schema " + schema + " cascade").update();
    database.destroy();
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

  private static boolean claim(StepRuns runs, String worker) {
    return runs.claim("run-1", "restore-snapshot", "on-demand", "instance-1", "step_2_restore", "component-1", worker);
  }

  private static String stepRunTableOfTheMigrations() throws IOException {
    try (InputStream migration = StepRunClaimsOnPostgresTest.class.getResourceAsStream("/db/flowcast/V15__workers.sql")) {
      String text = new String(migration.readAllBytes(), StandardCharsets.UTF_8);
      Matcher table = Pattern.compile("create table flowcast_step_run \\(.*?\\n\\);", Pattern.DOTALL).matcher(text);
      assertThat(table.find()).as("flowcast_step_run in V15__workers.sql").isTrue();
      return table.group().replaceAll("--[^\\n]*", "");
    }
  }
}
