package dev.flowcast.autoconfigure;

import dev.flowcast.activity.ActivityConfiguration;
import dev.flowcast.adaptive.AdaptiveConfiguration;
import dev.flowcast.api.ApiConfiguration;
import dev.flowcast.capacity.CapacityConfiguration;
import dev.flowcast.composer.ComposerConfiguration;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.FlowcastSetupException;
import dev.flowcast.config.SchemaConfiguration;
import dev.flowcast.decisions.DecisionsConfiguration;
import dev.flowcast.demand.DemandConfiguration;
import dev.flowcast.outlook.OutlookConfiguration;
import dev.flowcast.prediction.PredictionConfiguration;
import dev.flowcast.queue.QueueConfiguration;
import dev.flowcast.resources.ResourcesConfiguration;
import dev.flowcast.worker.WorkerConfiguration;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.spring.boot.starter.CamundaBpmAutoConfiguration;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Flowcast in a Camunda Spring Boot application: the one auto-configuration, registered in
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}, that
 * brings in every component (its schema, decision log, activity log, resource monitor,
 * prediction of intents and of demand, outlook, elastic capacity, engine plugin, composer, queue
 * and external-task workers) and the REST API, and binds {@code flowcast.*}.
 * It relies on no component or properties scan of the application's.
 *
 * <p>The components' configurations are imported in the order they build on each other (a
 * component's replaceable beans are {@code @ConditionalOnMissingBean}, so a bean the application
 * defines, or a component imported earlier, wins). They keep {@code @AutoConfiguration}'s
 * ordering for tests that compose a few of them, but are registered only through this class.
 *
 * <p>Before Spring Boot's error pages: the API's error controller answers {@code /error} with the
 * API's JSON for requests that were under the API, unless the application has its own.
 *
 * <p>Off with {@code flowcast.enabled=false}; the REST API alone off with
 * {@code flowcast.api.enabled=false}.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
    CamundaBpmAutoConfiguration.class}, before = ErrorMvcAutoConfiguration.class)
@ConditionalOnProperty(prefix = "flowcast", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(FlowcastProperties.class)
@EnableScheduling
@Import({SchemaConfiguration.class, DecisionsConfiguration.class, ActivityConfiguration.class,
    PredictionConfiguration.class, DemandConfiguration.class, OutlookConfiguration.class, CapacityConfiguration.class,
    ResourcesConfiguration.class, AdaptiveConfiguration.class, ComposerConfiguration.class, QueueConfiguration.class,
    WorkerConfiguration.class, FlowcastAutoConfiguration.RestApi.class})
public class FlowcastAutoConfiguration {

  /**
   * The composer offers a user only the components and templates they may start, and the API
   * shows a user only their own decisions: both ask the engine's authorizations, which answer
   * "allowed" to everything while they are off.
   */
  @Bean
  SmartInitializingSingleton flowcastNeedsAuthorization(ProcessEngine engine) {
    return () -> {
      if (!engine.getProcessEngineConfiguration().isAuthorizationEnabled()) {
        throw new FlowcastSetupException("FLOWCAST-381 the engine's authorization checks are off, and Flowcast"
            + " decides with them what each user may compose and read", "set camunda.bpm.authorization.enabled=true");
      }
    };
  }

  /**
   * A pool that cannot serve every job executor thread and the requests besides would leave
   * requests waiting for a connection whenever the job executor is busy: refused at the start.
   */
  @Bean
  SmartInitializingSingleton flowcastNeedsConnectionsForRequests(ProcessEngine engine, CamundaBpmProperties camunda,
      FlowcastProperties properties) {
    return () -> ConnectionBudget.poolSizeOf(engine.getProcessEngineConfiguration().getDataSource())
        .ifPresent(poolSize -> ConnectionBudget.check(poolSize,
            camunda.getJobExecution().isEnabled() ? camunda.getJobExecution().getMaxPoolSize() : 0,
            properties.database().apiConnections()));
  }

  /** {@code /flowcast/api}, which the Cockpit plugin reads too. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnProperty(prefix = "flowcast.api", name = "enabled", havingValue = "true", matchIfMissing = true)
  @Import(ApiConfiguration.class)
  static class RestApi {}
}
