package dev.flowcast.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.SeparateApplication;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * A node refuses to start on a database a newer Flowcast has migrated further than it knows, with a
 * message that says so; the example domain's own migrations do not count as newer.
 */
class NewerSchemaTest {

  @Test
  void shouldRefuseADatabaseMigratedByANewerFlowcast() {
    JdbcDataSource database = database("newer-schema");
    migrate(database, FlowcastSchema.LOCATION, "classpath:db/future");

    assertThatThrownBy(() -> FlowcastSchema.refuseNewerMigrations(thisNode(database)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("FLOWCAST-002 the database has Flowcast migrations this node does not know [V50]")
        .hasMessageContaining("newer Flowcast");
  }

  @Test
  void shouldRefuseANewerFlowcastsMigrationNumberedBelowTheExampleDomainsLatest() {
    JdbcDataSource database = database("newer-below-demo");
    migrate(database, FlowcastSchema.LOCATION, "classpath:db/demo", "classpath:db/future");

    assertThatThrownBy(() -> FlowcastSchema.refuseNewerMigrations(thisNode(database, FlowcastSchema.LOCATION, "classpath:db/demo")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("FLOWCAST-002 the database has Flowcast migrations this node does not know [V50]");
  }

  @Test
  void shouldNotCountTheExampleDomainsMigrationsAsNewer() {
    JdbcDataSource database = database("demo-schema");
    migrate(database, FlowcastSchema.LOCATION, "classpath:db/demo");

    assertThatCode(() -> FlowcastSchema.refuseNewerMigrations(thisNode(database))).doesNotThrowAnyException();
  }

  @Test
  void shouldNotStartTheApplicationOnADatabaseMigratedByANewerFlowcast() {
    JdbcDataSource database = database("newer-schema-start");
    migrate(database, FlowcastSchema.LOCATION, "classpath:db/future");

    assertThatThrownBy(() -> SeparateApplication.start(List.of("test"), "--spring.datasource.url=" + database.getURL()).close())
        .rootCause().hasMessageContaining("FLOWCAST-002");
  }

  private static JdbcDataSource database(String name) {
    JdbcDataSource database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:" + name + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    database.setUser("sa");
    return database;
  }

  private static void migrate(JdbcDataSource database, String... locations) {
    Flyway.configure().dataSource(database).table(FlowcastSchema.HISTORY_TABLE).locations(locations).load().migrate();
  }

  /** Flyway as a node of this version sees the database: its own migrations only. */
  private static Flyway thisNode(JdbcDataSource database) {
    return thisNode(database, FlowcastSchema.LOCATION);
  }

  /** Flyway as a node of this version sees the database, with the migrations at {@code locations}. */
  private static Flyway thisNode(JdbcDataSource database, String... locations) {
    return Flyway.configure().dataSource(database).table(FlowcastSchema.HISTORY_TABLE).locations(locations)
        .baselineOnMigrate(true).baselineVersion("0").load();
  }
}
