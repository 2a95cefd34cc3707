package dev.flowcast.config;

import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
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

  /**
   * Checked before any bean is created, so that the start-up report says this rather than what
   * the first of Flowcast's many beans that read the database lacks.
   */
  @Bean
  static BeanFactoryPostProcessor flowcastNeedsADataSource() {
    return beanFactory -> {
      if (beanFactory.getBeanNamesForType(DataSource.class, true, false).length == 0) {
        throw new FlowcastSetupException("FLOWCAST-380 Flowcast needs a DataSource, for its tables beside the"
            + " engine's, and the application has none", "set spring.datasource.url, or define one DataSource bean");
      }
    };
  }

  @Bean
  FlowcastSchema flowcastSchema(DataSource dataSource, SchemaProperties settings) {
    return new FlowcastSchema(dataSource, settings);
  }
}
