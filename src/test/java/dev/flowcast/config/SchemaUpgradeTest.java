package dev.flowcast.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.SeparateApplication;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.RunScript;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A database made by Flowcast 0.1.0, when Flowcast's migrations ran in the application's own Flyway
 * (history {@code flowcast_schema_history}, location {@code classpath:db/migration}), is upgraded in
 * place by Flowcast's own Flyway: nothing migrated again, nothing lost, no second history table.
 */
class SchemaUpgradeTest {

  @Test
  void shouldStartOnADatabaseMadeByTheFirstReleaseAndKeepWhatItHolds() throws Exception {
    // given: the demo database 0.1.0 left, with its history and one queued request's decisions
    JdbcDataSource database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:made-by-0.1.0-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    database.setUser("sa");
    try (Connection connection = database.getConnection();
        Reader script = new InputStreamReader(new GZIPInputStream(
            new ClassPathResource("db/made-by-0.1.0/demo-database.sql.gz").getInputStream()), StandardCharsets.UTF_8)) {
      RunScript.execute(connection, script);
    }
    JdbcClient jdbc = JdbcClient.create(database);
    List<String> historyBefore = history(jdbc);
    assertThat(historyBefore).contains("1 V1__flowcast_reservations_and_decisions.sql true", "10 V101__demo_replica_lock.sql true");
    long decisionsBefore = jdbc.sql("select count(*) from flowcast_decision").query(Long.class).single();
    assertThat(decisionsBefore).isPositive();

    // when: this version starts on it, with the demo profile the database was made with
    try (ConfigurableApplicationContext application = SeparateApplication.start(List.of("demo", "test"),
        "--spring.datasource.url=" + database.getURL())) {

      // then: every migration it had counts as applied, none ran again or failed, and what it held is read
      assertThat(history(jdbc)).startsWith(historyBefore.toArray(String[]::new)).allMatch(row -> row.endsWith(" true"));
      assertThat(jdbc.sql("select count(*) from information_schema.tables where lower(table_name) = 'flyway_schema_history'")
          .query(Long.class).single()).isZero();
      assertThat(application.getBean(DecisionLog.class).find(new DecisionQuery("alice", null, 100)))
          .isNotEmpty()
          .allSatisfy(decision -> assertThat(decision.intent()).isEqualTo("run-report"));
      // and the request it had queued is listed in the queue's own table
      assertThat(jdbc.sql("select process_instance_id from flowcast_queued_request").query(String.class).list())
          .containsExactlyInAnyOrderElementsOf(waitingInTheQueue(jdbc)).isNotEmpty();
    }
  }

  private static List<String> waitingInTheQueue(JdbcClient jdbc) {
    return jdbc.sql("select ID_ from ACT_RU_EXECUTION where ID_ = PROC_INST_ID_ and PROC_DEF_ID_ like 'flowcast-queue:%'")
        .query(String.class).list();
  }

  private static List<String> history(JdbcClient jdbc) {
    return jdbc.sql("select \"installed_rank\", \"script\", \"success\" from \"flowcast_schema_history\" order by \"installed_rank\"")
        .query((row, index) -> row.getInt(1) + " " + row.getString(2) + " " + row.getBoolean(3))
        .list();
  }
}
