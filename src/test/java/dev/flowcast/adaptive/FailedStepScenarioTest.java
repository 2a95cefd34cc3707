package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.composer.Recomposer;
import dev.flowcast.decisions.Decision;
import dev.flowcast.demo.DemoFaults;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ReservationLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A step whose work fails is the extreme of a degrading step: it never finishes where it is. The
 * adaptive check restarts it on an alternative (the component is restartable), the failed run's
 * incident goes with the cancelled run, the switch says FAILED, and the failure weighs on the
 * component's risk in the next compositions.
 */
@FlowcastTest
class FailedStepScenarioTest {

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired Recomposer recomposer;
  @Autowired PriceCatalog catalog;
  @Autowired AdaptiveWatcher watcher;
  @Autowired ReservationLedger ledger;
  @Autowired DemoFaults faults;
  @Autowired JdbcClient jdbc;

  EngineFixture fixture;

  @BeforeEach
  void setUp() {
    BpmnAwareTests.init(engine);
    fixture = new EngineFixture(engine, composer, catalog);
    ClockUtil.setCurrentTime(Date.from(Instant.now()));
    fixture.cancelRunningInstances();
    jdbc.sql("delete from flowcast_step").update();
  }

  @AfterEach
  void tearDown() {
    faults.end("render-report");
    fixture.cancelRunningInstances();
    ClockUtil.reset();
  }

  @Test
  void shouldRestartAFailedStepOnItsAlternativeAndComplete() {
    // given a report whose compute step runs on render-report, which now fails every attempt
    CompositionResult report = fixture.compose("alice", "run-report");
    String instance = report.processInstanceId();
    assertThat(report.chosen().workflow().task("step_3_compute").orElseThrow().component().name()).isEqualTo("render-report");
    fixture.runUntilRunning(instance, "step_3_compute");
    faults.injectFailure("render-report", Duration.ofMinutes(5), Instant.now());
    // its work is an external task: the worker reports each failed attempt
    for (int attempt = 0; attempt < 3; attempt++) {
      assertThat(fixture.runExternalTasks(instance)).isOne();
    }
    assertThat(engine.getExternalTaskService().createExternalTaskQuery().noRetriesLeft().singleResult().getErrorMessage())
        .contains("injected failure: render-report fails");
    // retries ran out: an incident on the component's external task, and the engine's copy on the calling step
    assertThat(engine.getRuntimeService().createIncidentQuery().count()).isEqualTo(2);

    // when the adaptive check finds it twice
    assertThat(watcher.check()).as("a single check only confirms").isEmpty();
    List<Decision> switches = watcher.check();

    // then the step is restarted on the alternative, for a failure
    assertThat(switches).hasSize(1);
    Decision restarted = switches.get(0);
    assertThat(restarted.status()).isEqualTo("RESTARTED");
    assertThat(restarted.reason()).contains("step_3_compute on render-report@", "failed: injected failure");
    @SuppressWarnings("unchecked")
    Map<String, Object> cause = (Map<String, Object>) restarted.details().get("cause");
    assertThat(cause).containsEntry("reason", "FAILED");
    assertThat(recomposer.workflowOf(restarted.processDefinitionId()).orElseThrow().task("step_3_compute")
        .orElseThrow().component().name()).isEqualTo("render-report-lite");
    assertThat(engine.getRuntimeService().createIncidentQuery().count()).as("the incident went with the failed run")
        .isZero();

    // and the instance completes on the alternative
    ProcessInstance running = fixture.instance(instance);
    fixture.runJobs(instance);
    assertThat(running).isEnded().hasPassed("step_3_compute", "step_4_notify");
    assertThat(ledger.heldBy(instance)).isEmpty();
    assertThat(jdbc.sql("select state from flowcast_step where process_instance_id = ? and component = 'render-report'")
        .param(instance).query(String.class).list()).containsExactly("FAILED");
  }

  @Test
  void shouldWeighAComponentsFailuresOnTheRiskOfTheNextComposition() {
    // given a report computed by render-report, the best choice while nothing fails
    CompositionResult first = fixture.compose("alice", "run-report");
    assertThat(computeOf(first)).isEqualTo("render-report");
    fixture.runUntilRunning(first.processInstanceId(), "step_3_compute");
    CompositionResult beforeTheFailure = fixture.compose("alice", "run-report");
    assertThat(computeOf(beforeTheFailure)).isEqualTo("render-report");
    // and its work failing in that running step
    faults.injectFailure("render-report", Duration.ofMinutes(5), Instant.now());
    assertThat(fixture.runExternalTasks(first.processInstanceId())).isOne();
    assertThat(fixture.instanceTree(first.processInstanceId()).stream()
        .flatMap(id -> engine.getExternalTaskService().createExternalTaskQuery().processInstanceId(id).list().stream())
        .map(ExternalTask::getErrorMessage).filter(Objects::nonNull).toList())
        .as("what the worker reported of the failed work")
        .anySatisfy(reported -> assertThat(reported).contains("injected failure: render-report fails"));

    // when the next report is composed
    CompositionResult next = fixture.compose("alice", "run-report");

    // then it avoids the failing component: the only run of render-report failed, so a candidate
    // with it fails for sure (risk 1), and the alternative carries no such risk
    assertThat(computeOf(next)).as("compute step, risk %.3f (before the failure %.3f)", next.chosen().score().risk(),
        beforeTheFailure.chosen().score().risk()).isEqualTo("render-report-lite");
    assertThat(next.chosen().score().risk()).isLessThan(1.0);
  }

  private static String computeOf(CompositionResult result) {
    return result.chosen().workflow().task("step_3_compute").orElseThrow().component().name();
  }

  @Test
  void shouldLeaveAFailedStepWhoseComponentIsNotRestartableToAnOperator() {
    // given a scale-out (its components are not restartable) whose work fails every attempt
    CompositionResult scaling = fixture.compose("alice", "scale-service");
    String instance = scaling.processInstanceId();
    String component = scaling.chosen().workflow().task("step_1_scale").orElseThrow().component().name();
    fixture.runUntilRunning(instance, "step_1_scale");
    faults.injectFailure(component, Duration.ofMinutes(5), Instant.now());
    Job work = componentJob(instance);
    for (int attempt = 0; attempt < 3; attempt++) {
      catchThrowable(() -> engine.getManagementService().executeJob(work.getId()));
    }

    // when the adaptive check finds it twice
    watcher.check();
    List<Decision> decisions = watcher.check();

    // then it is kept where it is, with why, and the incident stands
    assertThat(decisions).hasSize(1);
    assertThat(decisions.get(0).status()).isEqualTo("KEPT");
    assertThat(decisions.get(0).reason()).contains("failed step step_1_scale is not restartable");
    assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(instance).count()).isEqualTo(1);
    faults.end(component);
  }

  private Job componentJob(String processInstanceId) {
    String component = engine.getRuntimeService().createProcessInstanceQuery()
        .superProcessInstanceId(processInstanceId).singleResult().getId();
    return engine.getManagementService().createJobQuery().processInstanceId(component).singleResult();
  }
}
