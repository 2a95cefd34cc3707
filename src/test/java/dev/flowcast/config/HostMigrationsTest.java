package dev.flowcast.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcClientAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An application that keeps its own Flyway migrations at Spring Boot's defaults ({@code
 * classpath:db/migration}, history {@code flyway_schema_history}, a {@code V1__} of its own) and
 * Flowcast's schema stay apart: each history holds its own migrations, both apply.
 */
class HostMigrationsTest {

  @Test
  void shouldApplyTheApplicationsOwnV1AndFlowcastsMigrationsEachInItsOwnHistory() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class, SchemaConfiguration.class))
        .withPropertyValues("spring.datasource.url=jdbc:h2:mem:host-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
        .run(context -> {
          assertThat(context).hasNotFailed();
          JdbcClient jdbc = context.getBean(JdbcClient.class);

          assertThat(scripts(jdbc, "flyway_schema_history")).containsExactly("V1__host_orders.sql");
          assertThat(scripts(jdbc, FlowcastSchema.HISTORY_TABLE))
              .contains("V1__flowcast_reservations_and_decisions.sql", "V14__activity_latest_index.sql")
              .doesNotContain("V1__host_orders.sql");
          assertThat(jdbc.sql("select count(*) from host_order").query(Long.class).single()).isZero();
          assertThat(jdbc.sql("select count(*) from flowcast_decision").query(Long.class).single()).isZero();
        });
  }

  private static List<String> scripts(JdbcClient jdbc, String historyTable) {
    return jdbc.sql("select \"script\" from \"" + historyTable + "\" where \"success\" and \"type\" = 'SQL' order by \"installed_rank\"")
        .query(String.class).list();
  }
}
