package dev.flowcast.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.adaptive.DegradationPolicy;
import dev.flowcast.composer.ComponentLibrary;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.composer.Fallback;
import dev.flowcast.composer.Scorer;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.FlowcastSchema;
import dev.flowcast.config.FlowcastSetupException;
import dev.flowcast.config.FlowcastSetupFailureAnalyzer;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.resources.ResourceMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.spring.boot.starter.CamundaBpmAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcClientAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.bind.annotation.RestController;

/**
 * Flowcast's auto-configuration in a Camunda Spring Boot application of its own, with the
 * application's auto-configurations only (no component or properties scan of Flowcast's packages):
 * which beans it brings, which step back for the application's own, how it is switched off, and
 * what a missing prerequisite says.
 */
class FlowcastAutoConfigurationTest {

  private final WebApplicationContextRunner application = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
          DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
          JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class, JacksonAutoConfiguration.class,
          TaskSchedulingAutoConfiguration.class, MetricsAutoConfiguration.class,
          SimpleMetricsExportAutoConfiguration.class, CamundaBpmAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
          HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class, ErrorMvcAutoConfiguration.class,
          FlowcastAutoConfiguration.class))
      .withPropertyValues(
          "spring.datasource.url=jdbc:h2:mem:host-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
          "camunda.bpm.generate-unique-process-engine-name=true",
          "camunda.bpm.job-execution.enabled=false",
          // the test class path holds broken BPMN files on purpose; Flowcast deploys what it needs itself
          "camunda.bpm.auto-deployment-enabled=false",
          "camunda.bpm.authorization.enabled=true",
          "camunda.bpm.generic-properties.properties.enforceHistoryTimeToLive=true",
          "flowcast.proactive.enabled=false",
          "flowcast.adaptive.enabled=false");

  @Test
  void shouldBringEveryComponentTheEnginePluginAndTheRestApi() {
    application.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(FlowcastProperties.class).hasSingleBean(FlowcastSchema.class)
          .hasSingleBean(DecisionLog.class).hasSingleBean(ResourceMonitor.class).hasSingleBean(IntentPredictor.class)
          .hasSingleBean(ComponentLibrary.class).hasSingleBean(Composer.class).hasSingleBean(Scorer.class)
          .hasSingleBean(DegradationPolicy.class).hasSingleBean(Fallback.class)
          // the queue's service task, by the name its process calls it
          .hasBean("flowcastQueueRetry");
      assertThat(context.getBeansOfType(ProcessEnginePlugin.class).values())
          .anySatisfy(plugin -> assertThat(plugin.getClass().getSimpleName()).isEqualTo("FlowcastEnginePlugin"));
      assertThat(context.getBeansWithAnnotation(RestController.class).values())
          .extracting(controller -> controller.getClass().getSimpleName())
          .contains("RequestController", "DecisionController", "ResourceController")
          .doesNotContain("DemoFaultController");
      assertThat(context.getBean(ComponentLibrary.class).components()).isNotEmpty();
    });
  }

  @Test
  void shouldStepBackForTheApplicationsOwnPolicies() {
    application.withUserConfiguration(OwnPolicies.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).getBean(Scorer.class).isSameAs(context.getBean("teamScorer"));
      assertThat(context).getBean(DegradationPolicy.class).isSameAs(context.getBean("teamDegradationPolicy"));
      assertThat(context).getBean(Fallback.class).isSameAs(context.getBean("teamFallback"));
    });
  }

  @Test
  void shouldLeaveTheApplicationAloneWhenSwitchedOff() {
    application.withPropertyValues("flowcast.enabled=false").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(ProcessEngine.class)
          .doesNotHaveBean(FlowcastProperties.class).doesNotHaveBean(FlowcastSchema.class)
          .doesNotHaveBean(Composer.class);
      assertThat(context.getBeansWithAnnotation(RestController.class)).isEmpty();
    });
  }

  @Test
  void shouldLeaveTheRestApiOutWhenItAloneIsSwitchedOff() {
    application.withPropertyValues("flowcast.api.enabled=false").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(Composer.class);
      assertThat(context.getBeansWithAnnotation(RestController.class)).isEmpty();
    });
  }

  @Test
  void shouldSayInOneLineThatThereIsNoDataSource() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, MetricsAutoConfiguration.class,
            SimpleMetricsExportAutoConfiguration.class, FlowcastAutoConfiguration.class))
        .run(context -> assertThat(reportOf(context.getStartupFailure()))
            .startsWith("FLOWCAST-380 Flowcast needs a DataSource")
            .contains("set spring.datasource.url"));
  }

  @Test
  void shouldSayInOneLineThatTheEnginesAuthorizationIsOff() {
    application.withPropertyValues("camunda.bpm.authorization.enabled=false")
        .run(context -> assertThat(reportOf(context.getStartupFailure()))
            .startsWith("FLOWCAST-381 the engine's authorization checks are off")
            .contains("set camunda.bpm.authorization.enabled=true"));
  }

  @Test
  void shouldSayInOneLineThatThereAreNoTaskComponents() throws Exception {
    Path empty = Files.createTempDirectory("no-components");
    application.withPropertyValues("flowcast.components.location=" + empty.toUri(),
            "flowcast.components.fallback-location=" + empty.toUri())
        .run(context -> assertThat(reportOf(context.getStartupFailure()))
            .startsWith("FLOWCAST-382 no task components (*.bpmn) at " + empty.toUri())
            .contains("flowcast.components.location"));
  }

  @Test
  void shouldSayInOneLineThatLocalWorkersCannotStartOnTheirClassPath() throws Exception {
    // given: a class path without Flowcast's starter, as a container's or a custom launcher's would be
    Path withoutFlowcast = Files.createTempDirectory("no-flowcast");
    application.withPropertyValues("flowcast.capacity.provider=local-workers",
            "flowcast.workers.local.class-path=" + withoutFlowcast)
        .run(context -> assertThat(reportOf(context.getStartupFailure()))
            .startsWith("FLOWCAST-450 flowcast.capacity.provider=local-workers starts worker processes"
                + " (dev.flowcast.worker.WorkerProcess), but none can start on flowcast.workers.local.class-path "
                + withoutFlowcast + ": a trial worker process ended with exit code 1: Error: Could not find or load"
                + " main class dev.flowcast.worker.WorkerProcess")
            .contains("set flowcast.workers.local.class-path to a class path that holds flowcast-spring-boot-starter"));
  }

  @Test
  void shouldStartWithLocalWorkersOnTheApplicationsOwnClassPath() {
    application.withPropertyValues("flowcast.capacity.provider=local-workers")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void shouldRefuseAConnectionPoolThatTheJobExecutorCanFillAlone() {
    // Camunda's and HikariCP's defaults: ten threads, ten connections
    application.withPropertyValues("camunda.bpm.job-execution.enabled=true",
            "camunda.bpm.job-execution.max-pool-size=10", "spring.datasource.hikari.maximum-pool-size=10")
        .run(context -> assertThat(reportOf(context.getStartupFailure()))
            .startsWith("FLOWCAST-400 the connection pool (spring.datasource.hikari.maximum-pool-size=10) is smaller"
                + " than the job executor's threads (camunda.bpm.job-execution.max-pool-size=10) and the connections"
                + " kept for requests (flowcast.database.api-connections=4)")
            .contains("set spring.datasource.hikari.maximum-pool-size to at least 14,"
                + " or camunda.bpm.job-execution.max-pool-size to at most 6"));
  }

  @Test
  void shouldStartWithAConnectionPoolThatServesTheJobExecutorAndRequests() {
    application.withPropertyValues("camunda.bpm.job-execution.enabled=true",
            "camunda.bpm.job-execution.max-pool-size=6", "spring.datasource.hikari.maximum-pool-size=10")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ProcessEngine.class));
  }

  @Test
  void shouldNotCountTheJobExecutorsThreadsWhileItIsOff() {
    application.withPropertyValues("camunda.bpm.job-execution.max-pool-size=10",
            "spring.datasource.hikari.maximum-pool-size=2")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void shouldDescribeEverySettingForTheIde() throws Exception {
    JsonNode metadata = new ObjectMapper().readTree(
        new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream());

    Map<String, JsonNode> settings = new HashMap<>();
    metadata.get("properties").forEach(setting -> settings.put(setting.get("name").asText(), setting));

    assertThat(settings).containsKeys("flowcast.enabled", "flowcast.api.enabled", "flowcast.schema.locations",
        "flowcast.components.location", "flowcast.proactive.enabled");
    assertThat(settings.get("flowcast.scoring.fit-weight").get("defaultValue").asDouble()).isEqualTo(1.0);
  }

  /** What Spring Boot's start-up report says: the analysis' description and action, each one line. */
  private static String reportOf(Throwable failure) {
    assertThat(failure).as("the start fails").isNotNull();
    FailureAnalysis analysis = new FlowcastSetupFailureAnalyzer().analyze(failure);
    assertThat(analysis).as("a FlowcastSetupException in %s", failure).isNotNull();
    assertThat(analysis.getCause()).isInstanceOf(FlowcastSetupException.class);
    assertThat(List.of(analysis.getDescription(), analysis.getAction())).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
    return analysis.getDescription() + ": " + analysis.getAction();
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnPolicies {

    @Bean
    Scorer teamScorer() {
      return (candidates, probability, profile) -> List.of();
    }

    @Bean
    DegradationPolicy teamDegradationPolicy() {
      return (instance, conditions) -> List.of();
    }

    /** The team turns away what does not fit rather than queue it. */
    @Bean
    Fallback teamFallback() {
      return attempt -> new CompositionResult(attempt.decisionId(), CompositionResult.Status.REJECTED,
          attempt.request().intent(), null, null, null, List.of(), attempt.prediction().source(), attempt.reason());
    }
  }
}
