package dev.flowcast.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A demo database made by an older Flowcast (its migrations up to V3, the demo's V100) must take
 * a newer Flowcast migration with the demo profile's own Flyway settings.
 */
class DemoDatabaseUpgradeTest {

  @Test
  void shouldApplyANewerFlowcastMigrationAfterTheDemosOwn() {
    JdbcDataSource database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:upgrade-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(database).locations("classpath:db/migration").target("3").load().migrate();
    Flyway.configure().dataSource(database).locations("classpath:db/demo").baselineOnMigrate(true)
        .baselineVersion("3").ignoreMigrationPatterns("*:missing").load().migrate();
    YamlPropertiesFactoryBean demoProfile = new YamlPropertiesFactoryBean();
    demoProfile.setResources(new ClassPathResource("application-demo.yml"));
    Properties demo = demoProfile.getObject();

    Flyway.configure().dataSource(database)
        .locations("classpath:db/migration", "classpath:db/demo")
        .outOfOrder(Boolean.parseBoolean(demo.getProperty("spring.flyway.out-of-order")))
        .load().migrate();

    Long steps = JdbcClient.create(database).sql("select count(*) from flowcast_step").query(Long.class).single();
    assertThat(steps).isZero();
  }
}
