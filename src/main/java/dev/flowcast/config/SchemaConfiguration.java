package dev.flowcast.config;

import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;

/**
 * Flowcast's own tables are migrated by Flyway at start; a node refuses to start on a database that
 * a newer Flowcast has already migrated further than this node knows (Flyway itself would ignore
 * such "future" migrations and let an older node write to a newer schema).
 */
@AutoConfiguration
public final class SchemaConfiguration {

  /** Migrations from this version on belong to the example domain (profile demo), not to Flowcast. */
  static final int FIRST_DEMO_VERSION = 100;

  @Bean
  @ConditionalOnMissingBean
  FlywayMigrationStrategy refuseANewerSchema() {
    return flyway -> {
      refuseNewerMigrations(flyway);
      flyway.migrate();
    };
  }

  /** @throws IllegalStateException when the database has Flowcast migrations this node does not know */
  static void refuseNewerMigrations(Flyway flyway) {
    List<String> unknown = Arrays.stream(flyway.info().all())
        .filter(info -> info.getState() == MigrationState.FUTURE_SUCCESS || info.getState() == MigrationState.FUTURE_FAILED)
        .filter(info -> info.getVersion() != null && info.getVersion().getMajor().intValue() < FIRST_DEMO_VERSION)
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
