package dev.flowcast.composer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.activity.ActivityLog;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.resources.InterruptionSignals;
import dev.flowcast.resources.PoolSupply;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceMonitor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The composer's beans; the policies (scorer, composer) yield to the user's own. The fallback for a
 * request nothing fits is the queue's ({@code dev.flowcast.queue.QueueConfiguration}), unless the
 * user declares their own.
 */
@AutoConfiguration
public final class ComposerConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ComponentLibrary componentLibrary(
      FlowcastProperties properties, ResourcePatternResolver resolver, RepositoryService repository,
      dev.flowcast.resources.PriceCatalog catalog) {
    return new BpmnComponentLibrary(properties.components(), resolver, repository, pool -> catalog.pools().containsKey(pool));
  }

  @Bean
  TemplateLibrary templateLibrary(
      FlowcastProperties properties, ResourcePatternResolver resolver, ComponentLibrary components) {
    return new TemplateLibrary(properties.templates().location(), resolver, components);
  }

  @Bean
  @ConditionalOnMissingBean
  Scorer scorer(FlowcastProperties properties, ObjectProvider<DurationEstimates> durations) {
    return new WeightedScorer(properties.scoring(), durations.getIfAvailable(DurationEstimates::declared));
  }

  /**
   * Shared by the composer and the recomposer; the engine plugin forgets its answers whenever the
   * engine changes rights. Needs nothing of the engine, so the plugin can have it before the engine
   * is built.
   */
  @Bean
  AuthorizationCache authorizationCache(FlowcastProperties properties) {
    return new AuthorizationCache(properties.composer().authorizationCacheTtl());
  }

  @Bean
  @ConditionalOnMissingBean
  Composer composer(
      TemplateLibrary templates, ComponentLibrary components, IntentPredictor predictor,
      ResourceMonitor monitor, ReservationLedger ledger, Scorer scorer, Fallback fallback,
      AuthorizationService authorizations, IdentityService identity, AuthorizationCache authorizationCache,
      Deployer deployer, DecisionLog decisions, RuntimeService runtime, PlatformTransactionManager transactions,
      MeterRegistry meters, FlowcastProperties properties, Clock clock, ObjectMapper json,
      @Lazy PoolSupply supply) {
    TransactionTemplate transaction = new TransactionTemplate(transactions);
    return new DefaultComposer(
        new WorkflowChooser(templates, components, predictor,
            new AuthorizationFilter(authorizations, identity, authorizationCache), monitor, scorer,
            new ArrivingCapacity(supply, scorer, properties.composer().leastSavingToWait()), properties),
        new GuaranteedStart(deployer, runtime, identity, transaction, ledger, decisions, meters, json, monitor,
            scorer, properties, clock),
        fallback, decisions, transaction, meters, clock);
  }

  @Bean
  Deployer composedWorkflowDeployer(RepositoryService repository, MeterRegistry meters, FlowcastProperties properties,
      JdbcClient jdbc) {
    return new Deployer(repository, new BpmnAssembler(properties.composer().historyTimeToLive()), meters,
        () -> jdbc.sql("select name from flowcast_lock where name = 'deployment' for update").query().singleValue());
  }

  @Bean
  @ConditionalOnMissingBean
  Recomposer recomposer(
      TemplateLibrary templates, ComponentLibrary components, AuthorizationService authorizations,
      IdentityService identity, AuthorizationCache authorizationCache, Scorer scorer, ResourceMonitor monitor,
      Deployer deployer, RepositoryService repository, ReservationLedger ledger, FlowcastProperties properties,
      Clock clock, InterruptionSignals interruptions) {
    return new DefaultRecomposer(templates, components,
        new AuthorizationFilter(authorizations, identity, authorizationCache), scorer,
        monitor, deployer, repository, ledger, properties.composer().maxCandidates(), clock, interruptions);
  }

  @Bean
  ProactiveComposer proactiveComposer(Composer composer, IntentPredictor predictor, ActivityLog activity,
      FlowcastProperties properties, Clock clock) {
    return new ProactiveComposer(composer, predictor, activity, properties.proactive(), clock);
  }
}
