package dev.flowcast.config;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.springframework.beans.factory.InitializingBean;

/**
 * Flowcast's tables, migrated at start by a Flyway of its own: its own history table and its own
 * location, so that an application's {@code spring.flyway.*}, its history table and its
 * {@code db/migration} (where its own {@code V1__} may be) stay the application's. Everything that
 * reads the database waits for it (see {@link FlowcastSchemaInitializerDetector}).
 *
 * <p>A database set up by Flowcast 0.1, whose Flyway was the application's, has the same history
 * table and the same migrations (they only moved on the class path, names and checksums unchanged):
 * it is taken as it is, and the migrations it lacks are applied.
 */
public final class FlowcastSchema implements InitializingBean {

  /** Flowcast's history table, beside the engine's tables (the engine may have created its own first). */
  public static final String HISTORY_TABLE = "flowcast_schema_history";
  /** Where Flowcast's migrations are: out of the way of an application's {@code classpath:db/migration}. */
  public static final String LOCATION = "classpath:db/flowcast";
  /** Migrations from this version on belong to an application's domain (the demo's), not to Flowcast. */
  static final int FIRST_APPLICATION_VERSION = 100;

  private final Flyway flyway;

  public FlowcastSchema(DataSource dataSource, SchemaProperties settings) {
    this.flyway = Flyway.configure()
        .dataSource(dataSource)
        .table(HISTORY_TABLE)
        .locations(settings.locations().toArray(String[]::new))
        .outOfOrder(settings.outOfOrder())
        // the engine's tables may be there before Flowcast's first migration
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
  }

  @Override
  public void afterPropertiesSet() {
    refuseNewerMigrations(flyway);
    flyway.migrate();
  }

  /**
   * Flyway itself would ignore "future" migrations and let an older node write to a newer schema.
   * A newer Flowcast migration numbered below the application's own latest one is not "future" to
   * Flyway but "missing" (applied, not on this node's class path); Flowcast never removes a
   * migration, so it is newer as well.
   *
   * @throws IllegalStateException when the database has Flowcast migrations this node does not know
   */
  static void refuseNewerMigrations(Flyway flyway) {
    Set<MigrationState> notKnownHere = EnumSet.of(MigrationState.FUTURE_SUCCESS, MigrationState.FUTURE_FAILED,
        MigrationState.MISSING_SUCCESS, MigrationState.MISSING_FAILED);
    List<String> unknown = Arrays.stream(flyway.info().all())
        .filter(info -> notKnownHere.contains(info.getState()))
        .filter(info -> info.getVersion() != null && info.getVersion().getMajor().intValue() < FIRST_APPLICATION_VERSION)
        .map(MigrationInfo::getVersion)
        .map(version -> "V" + version)
        .toList();
    if (!unknown.isEmpty()) {
      throw new IllegalStateException("FLOWCAST-002 the database has Flowcast migrations this node does not know "
          + unknown + ": a newer Flowcast has upgraded it. Start this node with the same Flowcast version as the"
          + " nodes that upgraded the database; an older node must not write to a newer schema.");
    }
  }
}
