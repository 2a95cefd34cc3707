package dev.flowcast.config;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Flowcast's schema, migrated at start by its own Flyway ({@link FlowcastSchema}), whatever the
 * application does with {@code spring.flyway.*}.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
@EnableConfigurationProperties(SchemaProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public class SchemaConfiguration {

  @Bean
  FlowcastSchema flowcastSchema(ObjectProvider<DataSource> dataSource, SchemaProperties settings) {
    DataSource database = dataSource.getIfUnique();
    if (database == null) {
      throw new FlowcastSetupException("FLOWCAST-380 Flowcast needs a DataSource (its tables live beside the"
          + " engine's): none is defined; set spring.datasource.url or define one DataSource bean");
    }
    return new FlowcastSchema(database, settings);
  }
}
