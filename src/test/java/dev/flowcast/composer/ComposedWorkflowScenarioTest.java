package dev.flowcast.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.composer.CompositionResult.Status;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.prediction.IntentPrediction;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ReservationLedger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Compose → deploy → start → run, in the embedded engine, for every intent of the demo domain. */
@FlowcastTest
class ComposedWorkflowScenarioTest {

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired ReservationLedger ledger;
  @Autowired DecisionLog decisions;
  @Autowired RepositoryService repository;
  @Autowired HistoryService history;
  @Autowired IdentityService identity;
  @Autowired AuthorizationService authorizations;
  @Autowired JdbcClient jdbc;
  @Autowired IntentPredictor predictor;
  @Autowired dev.flowcast.activity.ActivityLog activity;
  @Autowired PlatformTransactionManager transactionManager;

  EngineFixture fixture;

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

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "run-report,         step_1_provision,  step_4_notify",
    "replicate-database, step_1_snapshot,   step_4_notify",
    "scale-service,      step_1_scale,      step_3_notify",
    "backup-database,    step_1_provision,  step_5_notify"
  })
  void shouldComposeStartAndCompleteEveryIntent(String intent, String firstStep, String lastStep) {
    CompositionResult result = fixture.compose("alice", intent);

    assertThat(result.status()).isEqualTo(Status.STARTED);
    ProcessInstance instance = fixture.instance(result.processInstanceId());
    assertThat(instance).isStarted().isWaitingAt(firstStep);

    fixture.runJobs(instance.getId());

    assertThat(instance).isEnded().hasPassed(firstStep, lastStep);
    HistoricProcessInstance finished =
        history.createHistoricProcessInstanceQuery().processInstanceId(instance.getId()).singleResult();
    assertThat(finished.getStartUserId()).isEqualTo("alice");
    assertThat(finished.getProcessDefinitionKey()).isEqualTo("flowcast-" + intent);
    long componentRuns = history.createHistoricProcessInstanceQuery().superProcessInstanceId(instance.getId()).count();
    assertThat(componentRuns).isEqualTo(result.chosen().workflow().tasks().size());
  }

  @Test
  void shouldRunBothBranchesOfAParallelTemplateBeforeJoining() {
    CompositionResult result = fixture.compose("alice", "scale-service");
    ProcessInstance instance = fixture.instance(result.processInstanceId());

    fixture.runJobs(instance.getId());

    assertThat(instance).isEnded().hasPassed(
        "fork_after_step_1_scale", "step_2_warm_cache", "step_3_notify", "join_before_end", "end");
  }

  @Test
  void shouldReuseTheDeployedDefinitionWhenTheSameCompositionIsRequestedAgain() {
    CompositionResult first = fixture.compose("alice", "run-report");
    long deploymentsBefore = repository.createDeploymentQuery().count();

    CompositionResult second = fixture.compose("alice", "run-report");

    assertThat(second.processDefinitionId()).isEqualTo(first.processDefinitionId());
    assertThat(second.processInstanceId()).isNotEqualTo(first.processInstanceId());
    assertThat(repository.createDeploymentQuery().count()).isEqualTo(deploymentsBefore);
  }

  @Test
  void shouldComposeAgainWhenTheDeploymentOfARememberedCompositionWasDeleted() {
    CompositionResult first = fixture.compose("alice", "run-report");
    fixture.compose("alice", "run-report"); // now remembered by this node
    String deploymentId = repository.getProcessDefinition(first.processDefinitionId()).getDeploymentId();
    repository.deleteDeployment(deploymentId, true); // as an operator would, here or on another node

    CompositionResult again = fixture.compose("alice", "run-report");

    assertThat(again.status()).isEqualTo(Status.STARTED);
    assertThat(again.processDefinitionId()).isNotEqualTo(first.processDefinitionId());
    assertThat(repository.createProcessDefinitionQuery().processDefinitionId(again.processDefinitionId()).count())
        .isEqualTo(1);
    assertThat(ledger.heldBy(again.processInstanceId())).isNotEmpty();
  }

  @Test
  void shouldNotRememberADeploymentWhoseTransactionRolledBack() {
    Deployer deployer = new Deployer(repository, new BpmnAssembler("30"), new SimpleMeterRegistry());
    Workflow workflow = fixture.compose("alice", "scale-service").chosen().workflow();
    repository.createDeploymentQuery().list().stream()
        .filter(d -> repository.createProcessDefinitionQuery().deploymentId(d.getId())
            .processDefinitionKey(workflow.processKey()).count() > 0)
        .forEach(d -> repository.deleteDeployment(d.getId(), true));

    new TransactionTemplate(transactionManager).executeWithoutResult(tx -> {
      deployer.deploy(workflow);
      tx.setRollbackOnly();
    });
    Deployer.Deployed afterRollback = deployer.rememberedOrDeploy(workflow);
    Deployer.Deployed afterCommit = deployer.rememberedOrDeploy(workflow);

    assertThat(afterRollback.remembered()).isFalse();
    assertThat(afterRollback.created()).as("the rolled-back deployment is not there").isTrue();
    assertThat(afterCommit.remembered()).isTrue();
    assertThat(afterCommit.definition().getId()).isEqualTo(afterRollback.definition().getId());
  }

  @Test
  void shouldDeployCompositionsInTheExtensionNamespaceBothEnginesRead() throws IOException {
    CompositionResult result = fixture.compose("alice", "run-report");
    ProcessDefinition definition = repository.getProcessDefinition(result.processDefinitionId());

    String xml;
    try (InputStream in = repository.getResourceAsStream(definition.getDeploymentId(), definition.getResourceName())) {
      xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(xml).contains("\"http://camunda.org/schema/1.0/bpmn\"", "calledElementBinding=\"version\"")
        .doesNotContain("http://operaton.org/schema/1.0/bpmn");
  }

  @Test
  void shouldDeployANewVersionWhenTheBindingChanges() {
    CompositionResult onSpot = fixture.compose("alice", "run-report");
    PricedPool spot = catalog.pools().get("spot");
    fixture.setPool(new PricedPool("spot", ResourceDemand.NONE, spot.pricePerVcpuHour(),
        spot.pricePerGbHour(), spot.interruptionRatePerHour()));

    CompositionResult onDemand = fixture.compose("alice", "run-report");

    assertThat(onDemand.processDefinitionId()).isNotEqualTo(onSpot.processDefinitionId());
    assertThat(onDemand.chosen().workflow().tasks()).noneMatch(task -> task.pool().equals("spot"));
    assertThat(repository.getProcessDefinition(onDemand.processDefinitionId()).getKey())
        .isEqualTo("flowcast-run-report");
  }

  @Test
  void shouldLeaveSpotWhenItsInterruptionRateRises() {
    assertThat(fixture.compose("alice", "run-report").chosen().workflow().tasks())
        .anyMatch(task -> task.pool().equals("spot"));
    PricedPool spot = catalog.pools().get("spot");
    fixture.setPool(new PricedPool("spot", spot.capacity(), spot.pricePerVcpuHour(), spot.pricePerGbHour(), 120.0));

    CompositionResult stormy = fixture.compose("alice", "run-report");

    assertThat(stormy.chosen().workflow().tasks()).noneMatch(task -> task.pool().equals("spot"));
  }

  @Test
  void shouldMoveToOnDemandWhenItBecomesCheaperThanSpot() {
    assertThat(fixture.compose("alice", "scale-service").chosen().workflow().tasks().get(0).component().name())
        .isEqualTo("scale-out-spot");
    PricedPool onDemand = catalog.pools().get("on-demand");
    fixture.setPool(new PricedPool("on-demand", onDemand.capacity(), 0.001, 0.0001, 0.0));

    CompositionResult cheaper = fixture.compose("alice", "scale-service");

    assertThat(cheaper.chosen().workflow().tasks().get(0).component().name()).isEqualTo("scale-out-on-demand");
  }

  @Test
  void shouldReserveOnStartAndReleaseWhenTheInstanceCompletes() {
    CompositionResult result = fixture.compose("alice", "run-report");

    assertThat(ledger.heldBy(result.processInstanceId()))
        .isEqualTo(result.chosen().workflow().peakDemandByPool());

    fixture.runJobs(result.processInstanceId());

    assertThat(ledger.heldBy(result.processInstanceId())).isEmpty();
  }

  @Test
  void shouldReleaseReservationsWhenTheInstanceIsCancelledEvenSkippingCustomListeners() {
    CompositionResult result = fixture.compose("alice", "scale-service");

    engine.getRuntimeService().deleteProcessInstance(result.processInstanceId(), "operator cancelled", true);

    assertThat(ledger.heldBy(result.processInstanceId())).isEmpty();
  }

  @Test
  void shouldRefuseAnIntentTheUserMayNotStartAndLogIt() {
    assertThatThrownBy(() -> fixture.compose("bob", "replicate-database"))
        .isInstanceOf(NotAuthorizedException.class)
        .hasMessageContaining("CREATE_INSTANCE on process definition 'flowcast-replicate-database'");

    Decision refusal = decisions.find(new DecisionQuery("bob", null, 1)).get(0);
    assertThat(refusal.status()).isEqualTo("FORBIDDEN");
    assertThat(refusal.intent()).isEqualTo("replicate-database");
  }

  @Test
  void shouldLetAnAnalystRunAReport() {
    CompositionResult result = fixture.compose("bob", "run-report");

    assertThat(result.status()).isEqualTo(Status.STARTED);
  }

  @Test
  void shouldBindOnlyComponentsTheUserMayStart() {
    givenUserWhoMayStart("carol", "flowcast-run-report", "component-provision-on-demand",
        "component-query-primary", "component-render-report", "component-notify-email");

    CompositionResult result = fixture.compose("carol", "run-report");

    assertThat(result.chosen().workflow().describe())
        .isEqualTo("step_1_provision=provision-on-demand@on-demand, step_2_query=query-primary@spot, "
            + "step_3_compute=render-report@spot, step_4_notify=notify-email@spot");
    assertThat(result.alternatives()).allMatch(a -> !a.workflow().describe().contains("replica"));
  }

  @Test
  void shouldRefuseWhenRightsLeaveACapabilityWithoutComponent() {
    givenUserWhoMayStart("dan", "flowcast-run-report", "component-query-primary");

    assertThatThrownBy(() -> fixture.compose("dan", "run-report"))
        .isInstanceOf(NotAuthorizedException.class)
        .hasMessageContaining("not authorized to start any component providing 'provision'");
  }

  @Test
  void shouldWriteTheReasonsFiguresWithAPointWhateverTheMachinesLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      CompositionResult result = fixture.compose("alice", "backup-database");

      assertThat(result.reason()).containsPattern("\\(score \\d\\.\\d{3}\\)");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void shouldLogTheDecisionWithEveryCandidatesScoreParts() {
    CompositionResult result = fixture.compose("alice", "backup-database");

    List<Decision> timeline = decisions.find(new DecisionQuery(null, result.processInstanceId(), 10));

    assertThat(timeline).hasSize(1);
    Decision decision = timeline.get(0);
    assertThat(decision.id()).isEqualTo(result.decisionId());
    assertThat(decision.status()).isEqualTo("STARTED");
    assertThat(decision.processDefinitionId()).isEqualTo(result.processDefinitionId());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> candidates = (List<Map<String, Object>>) decision.details().get("candidates");
    assertThat(candidates).isNotEmpty();
    assertThat((Map<String, Object>) candidates.get(0).get("score"))
        .containsKeys("total", "probability", "fit", "cost", "risk");
    // rendered before the capacity lock is taken, read back as the same JSON values
    assertThat((Map<String, Object>) decision.details().get("chosen")).containsKey("score");
    assertThat((Map<String, Object>) decision.details().get("prediction")).containsKeys("source", "probability");
    assertThat((Integer) decision.details().get("candidateCount")).isGreaterThanOrEqualTo(candidates.size());
  }

  @Test
  void shouldComposeTheTopPredictionWhenNoIntentIsGiven() {
    givenUserWhoMayStart("erin", "flowcast-backup-database", "flowcast-run-report");
    identity.createMembership("erin", "operators");
    fixture.compose("erin", "backup-database");
    fixture.compose("erin", "backup-database");
    fixture.compose("erin", "run-report");
    IntentPrediction.RankedIntent top =
        predictor.predict("erin", composer.intents(), java.time.Instant.now()).top().orElseThrow();

    CompositionResult predicted = fixture.compose("erin", null);

    assertThat(predicted.intent()).isEqualTo(top.intent());
    assertThat(predicted.status()).isEqualTo(Status.STARTED);
    assertThat(predicted.chosen().score().probability()).isEqualTo(top.probability());
  }

  @Test
  void shouldPreparePredictedWorkflowsSoTheRequestFindsThemDeployed() {
    givenUserWhoMayStart("hal", "flowcast-scale-service");
    identity.createMembership("hal", "operators");
    activity.append(List.of(new dev.flowcast.activity.ActivityEvent(java.time.Instant.now().minusSeconds(60), "hal",
        "scale-service", null, Map.of(), Map.of())), dev.flowcast.activity.ActivityLog.Source.REST);

    IntentPredictor confident = (user, intents, now) -> new IntentPrediction(intents.stream()
        .map(i -> new IntentPrediction.RankedIntent(i, i.equals("scale-service") ? 0.85 : 0.05)).toList(), "test");
    ProactiveComposer proactive = new ProactiveComposer(composer, confident, activity,
        new FlowcastProperties.Proactive(true, java.time.Duration.ofMinutes(1), java.time.Duration.ofHours(1), 0.3),
        java.time.Clock.systemUTC());

    List<CompositionResult> prepared = proactive.run().stream().filter(r -> r.intent().equals("scale-service")).toList();
    long deploymentsAfterPreparing = repository.createDeploymentQuery().count();
    CompositionResult requested = fixture.compose("hal", "scale-service");

    assertThat(prepared).isNotEmpty().allMatch(r -> r.status() == Status.PREPARED && r.processInstanceId() == null);
    assertThat(requested.status()).isEqualTo(Status.STARTED);
    assertThat(requested.processDefinitionId()).isEqualTo(prepared.get(0).processDefinitionId());
    assertThat(repository.createDeploymentQuery().count()).as("the request found it deployed").isEqualTo(deploymentsAfterPreparing);
  }

  @Test
  void shouldCaptureTheProcessesAUserStartsAsTheirActivity() {
    givenUserWhoMayStart("fay", "flowcast-run-report");
    identity.createMembership("fay", "operators");

    fixture.compose("fay", "run-report");
    fixture.compose("fay", "scale-service");

    assertThat(activity.recent("fay", 10)).extracting(dev.flowcast.activity.ActivityEvent::action)
        .containsExactly("run-report", "scale-service");
  }

  @Test
  void shouldQueueWhenNothingFitsAndStartOnceCapacityIsRaised() {
    fixture.setAllPoolCapacities(0.1, 64);

    CompositionResult queued = fixture.compose("alice", "run-report");

    assertThat(queued.status()).isEqualTo(Status.QUEUED);
    ProcessInstance queue = fixture.instance(queued.processInstanceId());
    assertThat(queue).isWaitingAt("wait_for_capacity");
    assertThat(decisions.find(new DecisionQuery(null, queue.getId(), 10)))
        .extracting(Decision::kind)
        .contains(Decision.Kind.COMPOSITION, Decision.Kind.CAPACITY_REQUESTED);

    fixture.fireTimers(queue.getId());
    assertThat(queue).as("still nothing fits").isWaitingAt("wait_for_capacity");

    fixture.resetPools();
    fixture.fireTimers(queue.getId());

    assertThat(queue).isEnded().hasPassed("started");
    String started = (String) history.createHistoricVariableInstanceQuery()
        .processInstanceId(queue.getId()).variableName("flowcastStartedInstanceId").singleResult().getValue();
    assertThat(fixture.instance(started)).isStarted().isWaitingAt("step_1_provision");
  }

  @Test
  void shouldExpireAQueuedRequestAtItsDeadlineAndLogIt() {
    fixture.setAllPoolCapacities(0.1, 64);
    CompositionResult queued = composer.compose(new CompositionRequest("alice", "run-report", Map.of(),
        java.time.Instant.now().minusSeconds(1), CompositionRequest.Origin.REQUEST));
    ProcessInstance queue = fixture.instance(queued.processInstanceId());

    fixture.resetPools();
    fixture.fireTimers(queue.getId());

    assertThat(queue).isEnded().hasPassed("expired").hasNotPassed("started");
    assertThat(decisions.find(new DecisionQuery(null, queue.getId(), 10)))
        .extracting(Decision::kind).contains(Decision.Kind.EXPIRED);
  }

  private void givenUserWhoMayStart(String user, String... processKeys) {
    if (identity.createUserQuery().userId(user).count() == 0) {
      new RightsFixture(identity, authorizations, jdbc).givenUserWhoMayStart(user, List.of(processKeys));
    }
  }
}
