package dev.flowcast.adaptive;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.activity.ActivityLog;
import dev.flowcast.composer.AuthorizationCache;
import dev.flowcast.composer.ComponentLibrary;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.ComposerConfiguration;
import dev.flowcast.composer.DurationEstimates;
import dev.flowcast.composer.Recomposer;
import dev.flowcast.composer.TaskComponent;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.resources.InterruptionSignals;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceMonitor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The adaptive component: the engine plugin (every {@code ProcessEnginePlugin} bean is picked up
 * by the Camunda starter), the observed durations the composer scores with, the degradation policy
 * (replaceable) and the loop that switches degraded instances.
 */
@AutoConfiguration(before = ComposerConfiguration.class)
public final class AdaptiveConfiguration {

  /**
   * The engine's clock: steps are timed, and degradation judged, as the engine times things (tests
   * move it). Decisions are stamped with the application's clock, like every other decision.
   */
  static final Supplier<Instant> ENGINE_CLOCK = () -> ClockUtil.getCurrentTime().toInstant();

  @Bean
  StepLog flowcastStepLog(JdbcClient jdbc) {
    return new StepLog(jdbc);
  }

  @Bean
  StepFailures flowcastStepFailures(ManagementService management, RuntimeService runtime, JdbcClient jdbc,
      FlowcastProperties properties) {
    return new StepFailures(management, runtime, jdbc, ENGINE_CLOCK, properties.adaptive().checkInterval());
  }

  @Bean
  @ConditionalOnMissingBean
  DurationEstimates observedDurations(StepLog steps, StepFailures failures, @Lazy ComponentLibrary components,
      FlowcastProperties properties) {
    return new ObservedDurations(steps, properties.adaptive(), ENGINE_CLOCK, componentNames(components),
        failures::failingComponents);
  }

  private static Supplier<Collection<String>> componentNames(ComponentLibrary components) {
    return () -> components.components().stream().map(TaskComponent::name).toList();
  }

  /**
   * The plugin's listeners need beans that need the engine (the component library deploys); they
   * are looked up lazily, when the first process is parsed, not while the engine is being built.
   * The listeners other components declare for their own processes (the queue's) need nothing of
   * the engine.
   */
  @Bean
  FlowcastEnginePlugin flowcastEnginePlugin(
      ReservationLedger ledger, ActivityLog activity, StepLog steps, DecisionLog decisions,
      @Lazy ComponentLibrary components, @Lazy ResourceMonitor monitor, @Lazy Recomposer recomposer,
      PriceCatalog prices, MeterRegistry meters, ObjectMapper json, Clock clock,
      AuthorizationCache authorizationCache, ObjectProvider<BuiltInProcessListener> processListeners) {
    StepRecorder recorder =
        new StepRecorder(steps, components, monitor, prices, decisions, meters, json, ENGINE_CLOCK, clock);
    return new FlowcastEnginePlugin(
        new ComposedProcessParseListener(new InstanceEndListener(ledger, steps, decisions, ENGINE_CLOCK, clock),
            new DirectStartListener(() -> recomposer, () -> components, prices, ledger, decisions, clock), recorder,
            component -> new ComponentActivityTimer(component, meters), processListeners.orderedStream().toList()),
        new ActivityCaptureHandler(activity), authorizationCache::invalidate);
  }

  @Bean
  @ConditionalOnMissingBean
  DegradationPolicy degradationPolicy() {
    return new ThresholdDegradationPolicy();
  }

  @Bean
  AdaptiveWatcher adaptiveWatcher(
      Composer composer, Recomposer recomposer, RuntimeService runtime, StepFailures failures, StepLog steps,
      ObjectProvider<DurationEstimates> estimates, @Lazy ComponentLibrary components, DegradationPolicy policy,
      ResourceMonitor monitor,
      InterruptionSignals interruptions, ReservationLedger ledger, DecisionLog decisions,
      PlatformTransactionManager transactions, JdbcClient jdbc, FlowcastProperties properties, Clock clock) {
    ObservedDurations durations = estimates.getIfAvailable() instanceof ObservedDurations observed
        ? observed
        : new ObservedDurations(steps, properties.adaptive(), ENGINE_CLOCK, componentNames(components),
            failures::failingComponents);
    TransactionTemplate transaction = new TransactionTemplate(transactions);
    return new AdaptiveWatcher(composer, recomposer, runtime, steps, failures, durations, policy,
        new SwitchGovernor(properties.adaptive()),
        new InstanceSwitcher(recomposer, steps, runtime, ledger, decisions, transaction, properties.adaptive(), ENGINE_CLOCK, clock),
        monitor, interruptions, ledger, decisions, transaction, jdbc, properties.adaptive(), ENGINE_CLOCK, clock);
  }
}
