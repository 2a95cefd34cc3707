package dev.flowcast.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.config.FlowcastSchema;
import dev.flowcast.config.SchemaProperties;
import java.io.IOException;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A demo database made by an older Flowcast (its migrations up to V3, the demo's V100) must take
 * a newer Flowcast migration with the demo profile's own schema settings.
 */
class DemoDatabaseUpgradeTest {

  @Test
  void shouldApplyANewerFlowcastMigrationAfterTheDemosOwn() throws IOException {
    JdbcDataSource database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:upgrade-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(database).table(FlowcastSchema.HISTORY_TABLE).locations(FlowcastSchema.LOCATION)
        .target("3").load().migrate();
    Flyway.configure().dataSource(database).table(FlowcastSchema.HISTORY_TABLE).locations("classpath:db/demo")
        .baselineOnMigrate(true).baselineVersion("3").ignoreMigrationPatterns("*:missing").load().migrate();

    new FlowcastSchema(database, demoProfileSettings()).afterPropertiesSet();

    Long steps = JdbcClient.create(database).sql("select count(*) from flowcast_step").query(Long.class).single();
    assertThat(steps).isZero();
  }

  private static SchemaProperties demoProfileSettings() throws IOException {
    var demoProfile = new YamlPropertySourceLoader().load("demo", new ClassPathResource("application-demo.yml"));
    return new Binder(ConfigurationPropertySources.from(demoProfile)).bind("flowcast.schema", SchemaProperties.class)
        .orElseThrow(() -> new AssertionError("the demo profile sets flowcast.schema.*"));
  }
}
