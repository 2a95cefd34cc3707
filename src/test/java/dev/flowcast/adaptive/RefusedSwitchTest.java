package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.adaptive.InstanceState.StepState;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.Recomposer;
import dev.flowcast.composer.Workflow;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceDemand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Switches that cannot happen: the engine refuses the plan (the target here is a definition whose
 * activities match none of the instance's, a task component's, so the running step cannot be
 * mapped), or re-composition fails. The instance must stay exactly where it was, and the decision
 * says why.
 */
@FlowcastTest
class RefusedSwitchTest {

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired Recomposer recomposer;
  @Autowired PriceCatalog catalog;
  @Autowired RuntimeService runtime;
  @Autowired RepositoryService repository;
  @Autowired ReservationLedger ledger;
  @Autowired DecisionLog decisions;
  @Autowired PlatformTransactionManager transactions;
  @Autowired FlowcastProperties properties;
  @Autowired StepLog steps;
  @Autowired JdbcClient jdbc;
  @Autowired Clock clock;

  EngineFixture fixture;
  Instant started;

  @BeforeEach
  void setUp() {
    BpmnAwareTests.init(engine);
    fixture = new EngineFixture(engine, composer, catalog);
    fixture.cancelRunningInstances();
    jdbc.sql("delete from flowcast_step").update();
    started = Instant.now();
    ClockUtil.setCurrentTime(Date.from(started));
  }

  @AfterEach
  void tearDown() {
    fixture.cancelRunningInstances();
    ClockUtil.reset();
  }

  @Test
  void shouldLeaveTheInstanceUntouchedAndLogTheEnginesReasons() {
    String unrelated = repository.createProcessDefinitionQuery().processDefinitionKey("component-query-primary")
        .latestVersion().singleResult().getId();
    SlowQuery slow = slowQuery();

    Decision decision = switcher(new DeployingElsewhere(recomposer, unrelated)).switchInstance(
        slow.state(), List.of(slow.degradation()), slow.times());

    assertThat(decision.status()).isEqualTo("REFUSED");
    assertThat(decision.reason()).contains("the engine refused").contains("step_2_query");
    slow.assertUntouched();
    assertThat(decisions.find(new DecisionQuery(null, slow.id(), 50)))
        .anySatisfy(d -> assertThat(d.kind() + " " + d.status() + " " + d.details().get("to"))
            .isEqualTo("SWITCH REFUSED " + unrelated));
  }

  @Test
  void shouldKeepTheInstanceWhenReCompositionFails() {
    SlowQuery slow = slowQuery();

    Decision decision = switcher(new FailingRecomposition(recomposer)).switchInstance(
        slow.state(), List.of(slow.degradation()), slow.times());

    assertThat(decision.status()).isEqualTo("KEPT");
    assertThat(decision.reason()).endsWith("could not re-compose: no task component provides capability 'query'");
    slow.assertUntouched();
  }

  @Test
  void shouldNotSwitchAnInstanceTwiceWhenTwoAssessmentsOfItMeet() {
    // given one slow query, assessed (as two nodes would each assess it) before either switch ran
    SlowQuery slow = slowQuery();
    InstanceSwitcher first = switcher(recomposer);
    InstanceSwitcher second = switcher(recomposer);

    // when both switch it, one after the other, from the same assessment
    Decision switched = first.switchInstance(slow.state(), List.of(slow.degradation()), slow.times());
    String after = fixture.instance(slow.id()).getProcessDefinitionId();
    Decision again = second.switchInstance(slow.state(), List.of(slow.degradation()), slow.times());

    // then the second sees the first's switch and keeps the instance where the first put it
    assertThat(switched.status()).isEqualTo("RESTARTED");
    assertThat(again.status()).isEqualTo("KEPT");
    assertThat(again.reason()).contains("switched since it was assessed", "not switched twice");
    assertThat(fixture.instance(slow.id()).getProcessDefinitionId()).isEqualTo(after).isNotEqualTo(slow.definition());
    // (one restarted run of the step waits at its job; none started twice)
    assertThat(engine.getManagementService().createJobQuery().processInstanceId(slow.id()).activityId("step_2_query")
        .count()).isEqualTo(1);
  }

  private InstanceSwitcher switcher(Recomposer recomposition) {
    return new InstanceSwitcher(recomposition, steps, runtime, ledger, decisions, new TransactionTemplate(transactions),
        properties.adaptive(), AdaptiveConfiguration.ENGINE_CLOCK, clock);
  }

  /** A run-report whose query step has been running 60 s (threshold 16 s), and how it stood. */
  private record SlowQuery(String id, String definition, String child, Map<String, ResourceDemand> reserved,
      InstanceState state, Degradation degradation, ObservedDurations.Times times, RefusedSwitchTest test) {

    void assertUntouched() {
      ProcessInstance after = test.fixture.instance(id);
      assertThat(after.getProcessDefinitionId()).isEqualTo(definition);
      assertThat(after).isWaitingAt("step_2_query");
      assertThat(test.runtime.createProcessInstanceQuery().superProcessInstanceId(id).singleResult().getId())
          .isEqualTo(child);
      assertThat(test.ledger.heldBy(id)).isEqualTo(reserved);
      assertThat(test.runtime.getVariables(id)).doesNotContainKey(InstanceSwitcher.SWITCHED_AT);
    }
  }

  private SlowQuery slowQuery() {
    String id = fixture.compose("alice", "run-report").processInstanceId();
    fixture.runUntilRunning(id, "step_2_query");
    String definition = fixture.instance(id).getProcessDefinitionId();
    String child = runtime.createProcessInstanceQuery().superProcessInstanceId(id).singleResult().getId();
    Map<String, ResourceDemand> reserved = ledger.heldBy(id);
    ClockUtil.setCurrentTime(Date.from(started.plusSeconds(60)));
    Workflow workflow = recomposer.workflowOf(definition).orElseThrow();
    InstanceState state = new InstanceState(id, definition, workflow, "alice", List.of(
        new StepState(workflow.task("step_1_provision").orElseThrow(), StepState.Phase.FINISHED, null),
        new StepState(workflow.task("step_2_query").orElseThrow(), StepState.Phase.RUNNING, started),
        new StepState(workflow.task("step_3_compute").orElseThrow(), StepState.Phase.PENDING, null),
        new StepState(workflow.task("step_4_notify").orElseThrow(), StepState.Phase.PENDING, null)), reserved);
    Degradation degradation = new Degradation(Degradation.Reason.SLOW_STEP, "step_2_query", "query-replica", "spot",
        3.75, "step_2_query on query-replica@spot running 60.0 s, threshold 16.0 s", Map.of("runningSeconds", 60.0));
    ObservedDurations.Times times = new ObservedDurations.Times(Map.of(),
        Map.of("query-replica", Duration.ofSeconds(60)), properties.adaptive());
    return new SlowQuery(id, definition, child, reserved, state, degradation, times, this);
  }

  /** Re-composition that fails the way the candidate generator does when nothing provides a capability. */
  private record FailingRecomposition(Recomposer real) implements Recomposer {
    @Override
    public Optional<Workflow> workflowOf(String processDefinitionId) {
      return real.workflowOf(processDefinitionId);
    }

    @Override
    public Recomposition recompose(Request request) {
      throw new IllegalStateException("no task component provides capability 'query'");
    }

    @Override
    public String deploy(Workflow workflow) {
      throw new AssertionError("nothing to deploy");
    }
  }

  /** The real re-composition, but "deploying" means handing back another process's definition. */
  private record DeployingElsewhere(Recomposer real, String definitionId) implements Recomposer {
    @Override
    public Optional<Workflow> workflowOf(String processDefinitionId) {
      return real.workflowOf(processDefinitionId);
    }

    @Override
    public Recomposition recompose(Request request) {
      return real.recompose(request);
    }

    @Override
    public String deploy(Workflow workflow) {
      return definitionId;
    }
  }
}
