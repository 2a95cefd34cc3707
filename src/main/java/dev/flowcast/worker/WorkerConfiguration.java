package dev.flowcast.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.composer.ComponentLibrary;
import dev.flowcast.composer.ComposerConfiguration;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.FlowcastSetupException;
import dev.flowcast.resources.PriceCatalog;
import java.time.Clock;
import java.util.List;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * External-task workers: their registry, the step runs they do, the check of their completions,
 * and the workers this application starts itself ({@code flowcast.workers.local.per-pool}).
 */
@AutoConfiguration(after = ComposerConfiguration.class)
@EnableConfigurationProperties(WorkerProperties.class)
public class WorkerConfiguration {

  @Bean
  WorkerRegistry workerRegistry(JdbcClient jdbc, Clock clock, WorkerProperties settings) {
    return new WorkerRegistry(jdbc, clock, settings.staleAfter());
  }

  @Bean
  StepRuns stepRuns(JdbcClient jdbc, Clock clock) {
    return new StepRuns(jdbc, clock);
  }

  @Bean
  ExternalComponents externalComponents(ComponentLibrary components, RepositoryService repository) {
    return new ExternalComponents(components, repository);
  }

  @Bean
  WorkerService workerService(WorkerRegistry registry, StepRuns runs, ExternalComponents components,
      PriceCatalog catalog, ExternalTaskService externalTasks, RuntimeService runtime, HistoryService history,
      List<StepWork> work, PlatformTransactionManager transactions, ObjectMapper json, Clock clock,
      WorkerProperties settings) {
    return new WorkerService(registry, runs, components, catalog, externalTasks, runtime, history, work,
        new TransactionTemplate(transactions), json, clock, settings.staleAfter());
  }

  @Bean
  FilterRegistrationBean<CompletionCheck> externalTaskCompletionCheck(WorkerService workers, ObjectMapper json,
      @Value("${spring.jersey.application-path:/engine-rest}") String engineRestPath) {
    FilterRegistrationBean<CompletionCheck> registration = new FilterRegistrationBean<>(new CompletionCheck(workers, json));
    registration.addUrlPatterns(engineRestPath + "/external-task/*");
    registration.setName("flowcast-external-task-completion-check");
    // after the engine REST API's authentication: an unauthenticated caller learns nothing here
    registration.setOrder(Ordered.LOWEST_PRECEDENCE);
    return registration;
  }

  @Bean
  LocalWorkersCapacityProvider localWorkersCapacityProvider(WorkerRegistry registry, PriceCatalog catalog,
      WorkerProperties settings, Clock clock) {
    return new LocalWorkersCapacityProvider(registry, catalog, settings, clock);
  }

  /**
   * With provider {@code local-workers} a pool's unit is one local worker: an elastic pool whose
   * catalog unit is not what a worker holds stops the start, naming the catalog and the field.
   */
  @Bean
  @ConditionalOnProperty(name = "flowcast.capacity.provider", havingValue = LocalWorkersCapacityProvider.NAME)
  InitializingBean localWorkersUnitCheck(LocalWorkersCapacityProvider provider, PriceCatalog catalog) {
    return () -> {
      List<String> mismatches = provider.unitMismatches();
      if (!mismatches.isEmpty()) {
        throw new IllegalStateException("FLOWCAST-361 price catalog " + catalog.current().source()
            + " does not fit flowcast.capacity.provider=local-workers: " + String.join("; ", mismatches)
            + "; make the unit what a worker holds, or the worker what the unit holds");
      }
    };
  }

  /**
   * Where this application starts worker processes itself (provider {@code local-workers}, or
   * {@code flowcast.workers.local.per-pool} above 0), a trial one must start and load the worker's
   * classes: a worker that cannot start stops the start, naming the settings, rather than every
   * later worker process failing where nobody looks (its output goes to a file).
   */
  @Bean
  InitializingBean localWorkersLaunchCheck(LocalWorkersCapacityProvider provider, FlowcastProperties properties,
      WorkerProperties settings) {
    return () -> {
      boolean provided = LocalWorkersCapacityProvider.NAME.equals(properties.capacity().provider());
      if (!provided && settings.local().perPool() == 0) {
        return;
      }
      provider.launchProblem().ifPresent(problem -> {
        String chosen = provided ? "flowcast.capacity.provider=" + LocalWorkersCapacityProvider.NAME
            : "flowcast.workers.local.per-pool=" + settings.local().perPool();
        String classPath = settings.local().classPath().isEmpty() ? "this application's class path"
            : "flowcast.workers.local.class-path " + settings.local().classPath();
        throw new FlowcastSetupException("FLOWCAST-450 " + chosen + " starts worker processes (" + WorkerProcess.class.getName()
            + "), but none can start on " + classPath + ": " + problem,
            "set flowcast.workers.local.class-path to a class path that holds flowcast-spring-boot-starter and its"
                + " dependencies, or run your workers yourself and set "
                + (provided ? "flowcast.capacity.provider to fixed or kubernetes" : "flowcast.workers.local.per-pool to 0"));
      });
    };
  }

  @Bean
  LocalWorkers localWorkers(LocalWorkersCapacityProvider provider, PriceCatalog catalog, WorkerProperties settings,
      Clock clock, @Value("${spring.jersey.application-path:/engine-rest}") String engineRestPath) {
    return new LocalWorkers(provider, catalog, settings.local(), clock, engineRestPath);
  }
}
