package dev.flowcast.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.ComposerConfiguration;
import dev.flowcast.composer.Fallback;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.resources.ResourceMonitor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The queue's beans: the composer's fallback (it yields to the user's own), the {@code flowcast-queue}
 * process with its list of waiting requests, the service task that composes a queued request again,
 * and the demand waiting in the queue, which the capacity planner sizes for.
 */
@AutoConfiguration(after = ComposerConfiguration.class)
public final class QueueConfiguration {

  /** Needs nothing of the engine: the engine plugin gives it to the queue process as its listener. */
  @Bean
  QueuedRequests queuedRequests(JdbcClient jdbc, Clock clock) {
    return new QueuedRequests(jdbc, clock);
  }

  @Bean
  QueueDeployment queueDeployment(RepositoryService repository, RuntimeService runtime, QueuedRequests queued) {
    return new QueueDeployment(repository, runtime, queued);
  }

  @Bean
  @ConditionalOnMissingBean
  Fallback fallback(
      RuntimeService runtime, DecisionLog decisions, ResourceMonitor monitor, MeterRegistry meters,
      ObjectMapper json, FlowcastProperties properties, Clock clock) {
    return new QueueFallback(runtime, decisions, monitor, meters, json, properties.queue(), clock);
  }

  @Bean
  QueuedDemand queuedDemand(RuntimeService runtime, ObjectMapper json) {
    return new QueuedDemand(runtime, json);
  }

  /** By this name in the queue process ({@code camunda:delegateExpression="${flowcastQueueRetry}"}). */
  @Bean("flowcastQueueRetry")
  QueueRetryDelegate flowcastQueueRetry(Composer composer, DecisionLog decisions, ObjectMapper json, Clock clock,
      QueuedRequests queued, ManagementService management, PlatformTransactionManager transactions,
      FlowcastProperties properties) {
    return new QueueRetryDelegate(composer, decisions, json, clock, new QueueTurns(queued, properties.queue(), clock),
        new QueuePull(management, queued, transactions, clock));
  }
}
