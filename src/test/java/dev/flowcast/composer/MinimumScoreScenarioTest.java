package dev.flowcast.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.composer.CompositionResult.Status;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.prediction.IntentPrediction;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.resources.PoolSupply;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceMonitor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code flowcast.scoring.minimum}: a request whose best candidate fits but scores below the
 * minimum is queued, not started; one whose best candidate reaches it is started. The composer is
 * the application's own, wired from this context's beans, with only the minimum set differently
 * (and a predictor that gives every intent the same probability, so two compositions score alike).
 */
@FlowcastTest
class MinimumScoreScenarioTest {

  /** Far enough below the best candidate's score that nothing else in the profile moves it across. */
  static final double MARGIN = 0.05;

  @Autowired PoolSupply supply;
  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired TemplateLibrary templates;
  @Autowired ComponentLibrary components;
  @Autowired ResourceMonitor monitor;
  @Autowired ReservationLedger ledger;
  @Autowired Scorer scorer;
  @Autowired Fallback fallback;
  @Autowired AuthorizationService authorizations;
  @Autowired IdentityService identity;
  @Autowired AuthorizationCache authorizationCache;
  @Autowired Deployer deployer;
  @Autowired DecisionLog decisions;
  @Autowired PlatformTransactionManager transactions;
  @Autowired MeterRegistry meters;
  @Autowired FlowcastProperties properties;
  @Autowired Clock clock;
  @Autowired ObjectMapper json;
  @Autowired ConfigurableEnvironment environment;

  EngineFixture fixture;

  /** Every intent equally likely: the probability part of the score is the same on every call. */
  final IntentPredictor evenly = (user, intents, now) -> new IntentPrediction(
      intents.stream().sorted().map(intent -> new IntentPrediction.RankedIntent(intent, 0.5)).toList(), "test");

  @BeforeEach
  void setUp() {
    BpmnAwareTests.init(engine);
    fixture = new EngineFixture(engine, composer, catalog);
  }

  @AfterEach
  void tearDown() {
    fixture.cancelRunningInstances();
    fixture.resetPools();
  }

  @Test
  void shouldQueueARequestWhoseBestCandidateFitsButScoresBelowTheMinimum() {
    // given a minimum above the highest score the weights allow (probability, fit and cost at 1, no risk)
    FlowcastProperties.Scoring weights = properties.scoring();
    double minimum = weights.probabilityWeight() + weights.fitWeight() + weights.costWeight() + 0.001;
    long composedBefore = composedInstances("run-report");

    // when alice asks for a report
    CompositionResult result = composerWithMinimum(minimum).compose(request("alice", "run-report"));

    // then it is queued for its score, not for capacity: the best candidate fits
    assertThat(result.status()).isEqualTo(Status.QUEUED);
    assertThat(result.chosen().score().feasible()).as("the best candidate fits the free capacity").isTrue();
    assertThat(result.chosen().score().total()).isLessThan(minimum);
    assertThat(result.reason()).startsWith(String.format(Locale.ROOT, "best candidate scores %.3f, below the minimum",
        result.chosen().score().total()));
    assertThat(fixture.instance(result.processInstanceId())).isWaitingAt("wait_for_capacity");
    assertThat(composedInstances("run-report")).as("no composed report started").isEqualTo(composedBefore);
    assertThat(ledger.heldBy(result.processInstanceId())).as("nothing reserved for a queued request").isEmpty();
    Decision logged = decisions.find(new DecisionQuery(null, result.processInstanceId(), 10)).stream()
        .filter(d -> d.kind() == Decision.Kind.COMPOSITION).findFirst().orElseThrow();
    assertThat(logged.status()).isEqualTo("QUEUED");
    assertThat(logged.reason()).contains("below the minimum");
  }

  @Test
  void shouldStartTheBestCandidateOnceItReachesTheMinimum() {
    // given the score alice's report gets, learned from a composer whose minimum nothing reaches
    double best = composerWithMinimum(Double.MAX_VALUE).compose(request("alice", "run-report")).chosen().score().total();
    fixture.cancelRunningInstances();

    // when the minimum is just below it
    CompositionResult result = composerWithMinimum(best - MARGIN).compose(request("alice", "run-report"));

    // then the best candidate is started
    assertThat(result.status()).as(result.reason()).isEqualTo(Status.STARTED);
    assertThat(result.chosen().score().total()).isGreaterThanOrEqualTo(best - MARGIN);
    assertThat(fixture.instance(result.processInstanceId())).isStarted();
  }

  private static CompositionRequest request(String user, String intent) {
    return new CompositionRequest(user, intent, Map.of(), null, CompositionRequest.Origin.REQUEST);
  }

  private long composedInstances(String intent) {
    return engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(ProcessKeys.composed(intent))
        .count();
  }

  /** The application's composer, on this context's beans, with this context's settings but the minimum. */
  private Composer composerWithMinimum(double minimum) {
    FlowcastProperties settings = settingsWithMinimum(minimum);
    TransactionTemplate transaction = new TransactionTemplate(transactions);
    return new DefaultComposer(
        new WorkflowChooser(templates, components, evenly,
            new AuthorizationFilter(authorizations, identity, authorizationCache), monitor, scorer,
            new ArrivingCapacity(supply, scorer, settings.composer().leastSavingToWait()), settings),
        new GuaranteedStart(deployer, engine.getRuntimeService(), identity, transaction, ledger, decisions, meters,
            json, monitor, scorer, settings, clock),
        fallback, decisions, transaction, meters, clock);
  }

  /** Bound as the application binds its settings, from this context's environment with one more value first. */
  private FlowcastProperties settingsWithMinimum(double minimum) {
    List<ConfigurationPropertySource> sources = new ArrayList<>();
    sources.add(new MapConfigurationPropertySource(Map.of("flowcast.scoring.minimum", Double.toString(minimum))));
    ConfigurationPropertySources.get(environment).forEach(sources::add);
    FlowcastProperties bound = new Binder(sources, new PropertySourcesPlaceholdersResolver(environment))
        .bindOrCreate("flowcast", FlowcastProperties.class);
    assertThat(bound.scoring().minimum()).isEqualTo(minimum);
    return bound;
  }
}
