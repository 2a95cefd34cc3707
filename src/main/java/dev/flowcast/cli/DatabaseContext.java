package dev.flowcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.activity.ActivityConfiguration;
import dev.flowcast.activity.ActivityLog;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.SchemaConfiguration;
import dev.flowcast.prediction.IntentTrainer;
import dev.flowcast.prediction.ModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcClientAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A small Spring context for the commands that write to the database (import, train): the
 * application's data source, Flyway and the activity log, without the engine or the web server.
 * Not a {@code @Configuration}: the application's component scan would take it in, and its clock
 * and registry would stand beside the application's own (a replay's clock lost to it by name).
 */
@EnableConfigurationProperties(FlowcastProperties.class)
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, SchemaConfiguration.class,
    JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class, JacksonAutoConfiguration.class,
    DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
    ActivityConfiguration.class})
class DatabaseContext {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  ModelRegistry modelRegistry(JdbcClient jdbc, ObjectMapper json) {
    return new ModelRegistry(jdbc, json);
  }

  @Bean
  IntentTrainer intentTrainer(ActivityLog activity, ModelRegistry registry, FlowcastProperties properties, Clock clock) {
    return new IntentTrainer(activity, registry, properties.prediction(), clock);
  }

  /** Starts the context with the application's configuration files, and another database if given. */
  static ConfigurableApplicationContext start(String databaseUrl, String... properties) {
    if (databaseUrl != null && !databaseUrl.startsWith("jdbc:")) {
      throw new IllegalArgumentException("--db-url must be a JDBC URL, e.g. jdbc:h2:file:./data/flowcast or"
          + " jdbc:postgresql://localhost:5432/flowcast, not '" + databaseUrl + "'");
    }
    SpringApplicationBuilder builder = new SpringApplicationBuilder(DatabaseContext.class)
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        // a failure is said once, in one line, by the command (FlowcastCommands), not as the
        // context's stack traces on standard output
        .properties("logging.level.root=WARN", "logging.level.org.springframework=ERROR",
            "logging.level.org.springframework.boot.SpringApplication=OFF",
            "logging.level.org.springframework.boot.diagnostics=OFF");
    // as command-line arguments: they outrank the configuration files, which default properties
    // do not (a --db-url given that way lost to application.yml's database)
    List<String> arguments = new ArrayList<>();
    for (String property : properties) {
      arguments.add("--" + property);
    }
    if (databaseUrl != null) {
      arguments.add("--spring.datasource.url=" + databaseUrl);
    }
    try {
      return builder.run(arguments.toArray(String[]::new));
    } catch (RuntimeException e) {
      SQLException database = databaseProblem(e);
      if (database == null) {
        throw e;
      }
      String where = databaseUrl != null ? databaseUrl : "of spring.datasource.url";
      String reason = database.getMessage() == null ? "no reason given" : database.getMessage().lines().findFirst().orElse("");
      throw new UncheckedIOException("cannot use the database " + where + ": " + reason, new IOException(e));
    }
  }

  /** The database's own reason, when the context failed because the database could not be used. */
  private static SQLException databaseProblem(Throwable failure) {
    SQLException found = null;
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        found = sql;
      }
    }
    return found;
  }
}
