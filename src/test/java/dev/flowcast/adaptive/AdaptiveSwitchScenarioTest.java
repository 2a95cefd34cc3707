package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.composer.Recomposer;
import dev.flowcast.composer.Workflow;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.resources.InterruptionSignals;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ReservationLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Degraded composed instances in the embedded engine: a step is slow when the engine's clock says
 * it has been running past its threshold (query-replica declares 8 s, so 16 s); the adaptive check
 * then switches the instance to a version that binds the alternative.
 */
@FlowcastTest
class AdaptiveSwitchScenarioTest {

  static final Duration LONG_PAST_THRESHOLD = Duration.ofSeconds(60);

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired Recomposer recomposer;
  @Autowired PriceCatalog catalog;
  @Autowired AdaptiveWatcher watcher;
  @Autowired DecisionLog decisions;
  @Autowired ReservationLedger ledger;
  @Autowired RuntimeService runtime;
  @Autowired HistoryService history;
  @Autowired RepositoryService repository;
  @Autowired FlowcastProperties properties;
  @Autowired JdbcClient jdbc;
  @Autowired InterruptionSignals interruptions;

  EngineFixture fixture;
  Instant now;

  @BeforeEach
  void setUp() {
    BpmnAwareTests.init(engine);
    fixture = new EngineFixture(engine, composer, catalog);
    now = Instant.now();
    ClockUtil.setCurrentTime(Date.from(now));
    // each scenario starts without step history: only its own steps can be slow
    fixture.cancelRunningInstances();
    jdbc.sql("delete from flowcast_step").update();
  }

  @AfterEach
  void tearDown() {
    fixture.cancelRunningInstances();
    ClockUtil.reset();
  }

  @Test
  void shouldMigrateAnInstanceWhoseRemainingStepIsBoundToASlowComponent() {
    String slow = startedReport();
    fixture.runUntilRunning(slow, "step_2_query");
    String waiting = startedReport();
    String before = definitionOf(waiting);
    assertThat(fixture.instance(waiting)).isWaitingAt("step_1_provision");

    List<Decision> switches = checkTwiceAfter(LONG_PAST_THRESHOLD);

    Decision migrated = switchOf(switches, waiting);
    assertThat(migrated.status()).isEqualTo("MIGRATED");
    assertThat(migrated.user()).as("the user the instance was started for").isEqualTo("alice");
    assertThat(migrated.reason()).contains("step_2_query is bound to query-replica, which has a step running 60.0 s",
        "threshold 16.0 s");
    ProcessInstance instance = fixture.instance(waiting);
    assertThat(instance.getProcessDefinitionId()).isEqualTo(migrated.processDefinitionId()).isNotEqualTo(before);
    Workflow now = recomposer.workflowOf(instance.getProcessDefinitionId()).orElseThrow();
    assertThat(now.task("step_2_query").orElseThrow().component().name()).isEqualTo("query-primary");
    assertThat(now.task("step_1_provision")).isEqualTo(recomposer.workflowOf(before).orElseThrow().task("step_1_provision"));
    assertThat(instance).isWaitingAt("step_1_provision");

    fixture.runJobs(waiting);

    assertThat(instance).isEnded().hasPassed("step_1_provision", "step_2_query", "step_3_compute", "step_4_notify");
    assertThat(calledComponents(waiting)).containsExactlyInAnyOrder(
        "component-provision-spot", "component-query-primary", "component-render-report", "component-notify-chat");
  }

  @Test
  void shouldRestartASlowRestartableStepOnItsAlternativeWithoutRerunningFinishedSteps() {
    String slow = startedReport();
    String before = definitionOf(slow);
    fixture.runUntilRunning(slow, "step_2_query");
    var reservedBefore = ledger.heldBy(slow);

    List<Decision> switches = checkTwiceAfter(LONG_PAST_THRESHOLD);

    Decision restarted = switchOf(switches, slow);
    assertThat(restarted.status()).isEqualTo("RESTARTED");
    assertThat(restarted.reason()).contains("step_2_query on query-replica@spot running 60.0 s, threshold 16.0 s");
    assertThat(restarted.details()).containsEntry("from", before).containsEntry("restartedSteps", List.of("step_2_query"));
    String after = definitionOf(slow);
    assertThat(after).isEqualTo(restarted.processDefinitionId()).isNotEqualTo(before);
    ProcessInstance instance = fixture.instance(slow);
    assertThat(instance).isWaitingAt("step_2_query");
    assertThat(ledger.heldBy(slow)).isEqualTo(recomposer.workflowOf(after).orElseThrow()
        .only(Set.of("step_2_query", "step_3_compute", "step_4_notify")).peakDemandByPool())
        .isNotEqualTo(reservedBefore);

    fixture.runJobs(slow);

    assertThat(instance).isEnded();
    // (in any order: the engine's clock stands still here, so the starts share one timestamp)
    assertThat(calledComponents(slow)).containsExactlyInAnyOrder("component-provision-spot", "component-query-replica",
        "component-query-primary", "component-render-report", "component-notify-chat");
    assertThat(stepRuns(slow, "step_1_provision")).hasSize(1);
    assertThat(historicDefinitions(slow)).containsExactlyInAnyOrder(before, after);
    assertThat(ledger.heldBy(slow)).isEmpty();
    List<String> timeline = decisions.find(new DecisionQuery(null, slow, 50)).stream()
        .sorted(Comparator.comparing(Decision::decidedAt).thenComparing(d -> d.kind().ordinal()))
        .map(d -> d.kind() + " " + d.status()).toList();
    assertThat(timeline).startsWith("COMPOSITION STARTED").contains("STEP CANCELLED", "SWITCH RESTARTED")
        .endsWith("SWITCH_OUTCOME FASTER");
  }

  @Test
  void shouldMoveAnInstanceOutOfAPoolThatHasAnInterruptionNotice() {
    String id = startedReport();
    assertThat(recomposer.workflowOf(definitionOf(id)).orElseThrow().tasks()).allMatch(t -> t.pool().equals("spot"));
    interruptions.raise("spot", Duration.ofMinutes(2), "reclaim notice", Instant.now());
    try {
      Decision moved = switchOf(checkTwiceAfter(Duration.ofSeconds(1)), id);

      assertThat(moved.status()).isEqualTo("MIGRATED");
      assertThat(moved.reason()).contains("runs in pool spot, which has an interruption notice");
      Workflow now = recomposer.workflowOf(fixture.instance(id).getProcessDefinitionId()).orElseThrow();
      assertThat(now.tasks()).noneMatch(t -> t.pool().equals("spot"));
      assertThat(ledger.heldBy(id)).doesNotContainKey("spot");
    } finally {
      interruptions.clear("spot");
    }
    ProcessInstance instance = fixture.instance(id);
    fixture.runJobs(id);
    assertThat(instance).isEnded();
  }

  @Test
  void shouldLetASlowStepThatIsNotRestartableRunToItsEnd() {
    String id = fixture.compose("alice", "scale-service").processInstanceId();
    fixture.runUntilRunning(id, "step_1_scale");
    String child = runtime.createProcessInstanceQuery().superProcessInstanceId(id).singleResult().getId();

    List<Decision> switches = checkTwiceAfter(Duration.ofMinutes(5));

    Decision decision = switchOf(switches, id);
    assertThat(decision.details().get("restartedSteps")).isEqualTo(List.of());
    assertThat(decision.reason()).contains("step_1_scale on scale-out-");
    assertThat(fixture.instance(id)).isWaitingAt("step_1_scale");
    assertThat(runtime.createProcessInstanceQuery().superProcessInstanceId(id).singleResult().getId())
        .as("the running component instance is left alone").isEqualTo(child);
    ProcessInstance instance = fixture.instance(id);
    fixture.runJobs(id);
    assertThat(instance).isEnded();
    assertThat(stepRuns(id, "step_1_scale")).hasSize(1);
  }

  /**
   * The worst case: whichever component the step runs on turns slow while the other one's evidence
   * of slowness has expired, so every round finds a better alternative. Only the limit stops it.
   */
  @Test
  void shouldStopSwitchingAnInstanceAtTheConfiguredMaximum() {
    String flapping = startedReport();
    fixture.runUntilRunning(flapping, "step_2_query");

    for (int round = 0; round < 6; round++) {
      if (!engine.getManagementService().createJobQuery().processInstanceId(flapping).activityId("step_2_query")
          .list().isEmpty()) {
        fixture.startStep(flapping, "step_2_query");
      }
      checkTwiceAfter(properties.adaptive().slowEvidence().plus(properties.adaptive().cooldown()));
    }

    List<Decision> switched = decisions.find(new DecisionQuery(null, flapping, 100)).stream()
        .filter(d -> d.kind() == Decision.Kind.SWITCH)
        .filter(d -> d.status().equals("RESTARTED") || d.status().equals("MIGRATED"))
        .toList();
    assertThat(switched).hasSize(properties.adaptive().maxSwitches());
    ProcessInstance instance = fixture.instance(flapping);
    fixture.runJobs(flapping);
    assertThat(instance).isEnded();
  }

  @Test
  void shouldNotSwitchOnOneCheckNorWhileTheStepIsWithinItsThreshold() {
    String instance = startedReport();
    fixture.runUntilRunning(instance, "step_2_query");

    advance(Duration.ofSeconds(10));
    assertThat(watcher.check()).isEmpty();
    assertThat(watcher.check()).isEmpty();
    advance(Duration.ofSeconds(50));
    assertThat(watcher.check()).as("first degraded check only confirms").isEmpty();
    assertThat(watcher.check()).extracting(Decision::processInstanceId).contains(instance);
  }

  private String startedReport() {
    CompositionResult result = fixture.compose("alice", "run-report");
    assertThat(result.status()).isEqualTo(CompositionResult.Status.STARTED);
    return result.processInstanceId();
  }

  private List<Decision> checkTwiceAfter(Duration wait) {
    advance(wait);
    List<Decision> first = watcher.check();
    assertThat(first).as("a single degraded check only confirms").isEmpty();
    return watcher.check();
  }

  private void advance(Duration by) {
    now = now.plus(by);
    ClockUtil.setCurrentTime(Date.from(now));
  }

  private static Decision switchOf(List<Decision> switches, String processInstanceId) {
    return switches.stream().filter(d -> d.processInstanceId().equals(processInstanceId)).findFirst()
        .orElseThrow(() -> new AssertionError("no switch of " + processInstanceId + " in " + switches));
  }

  private String definitionOf(String processInstanceId) {
    return history.createHistoricProcessInstanceQuery().processInstanceId(processInstanceId).singleResult()
        .getProcessDefinitionId();
  }

  private List<String> calledComponents(String processInstanceId) {
    return history.createHistoricProcessInstanceQuery().superProcessInstanceId(processInstanceId)
        .orderByProcessInstanceStartTime().asc().list().stream()
        .map(p -> p.getProcessDefinitionKey()).toList();
  }

  private List<HistoricActivityInstance> stepRuns(String processInstanceId, String stepId) {
    return history.createHistoricActivityInstanceQuery().processInstanceId(processInstanceId).activityId(stepId).list();
  }

  private Set<String> historicDefinitions(String processInstanceId) {
    return history.createHistoricActivityInstanceQuery().processInstanceId(processInstanceId).list().stream()
        .map(HistoricActivityInstance::getProcessDefinitionId).collect(Collectors.toSet());
  }
}
