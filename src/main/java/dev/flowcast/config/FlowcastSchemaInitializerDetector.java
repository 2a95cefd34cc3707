package dev.flowcast.config;

import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.core.Ordered;

/**
 * Makes {@link FlowcastSchema} a database initializer in Spring Boot's terms: every bean that reads
 * the database through JDBC templates and clients (and so every Flowcast component, the engine's
 * plugin among them), and every bean marked {@code @DependsOnDatabaseInitialization}, is created
 * after Flowcast's migrations ran. Registered in {@code META-INF/spring.factories}.
 *
 * <p>Last of the initializers: Flowcast's schema is migrated after the application's own Flyway
 * or Liquibase, whose first run on a new database (not set to baseline) refuses a schema that
 * already holds tables, Flowcast's among them.
 */
public final class FlowcastSchemaInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
    return Set.of(FlowcastSchema.class);
  }
}
