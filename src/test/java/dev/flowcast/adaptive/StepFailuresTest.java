package dev.flowcast.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.FlowcastTest;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.ProcessKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What fails in a step right now, as the adaptive check sees it and as scoring sees it: the check
 * reads the engine's failed jobs afresh each time; scoring takes them as read at most one check
 * interval ago, because finding them reads every job of the engine (every waiting timer among them).
 */
@FlowcastTest
class StepFailuresTest {

  private static final String COMPONENT = "flaky-in-the-engine";

  @Autowired ProcessEngine engine;
  @Autowired StepFailures failures;
  @Autowired FlowcastProperties properties;

  private static final AtomicInteger testsBegun = new AtomicInteger();

  private Deployment deployment;

  @BeforeEach
  void setUp() {
    // days ahead of every other test, each test its own: no failure another test read is recent then
    ClockUtil.setCurrentTime(Date.from(Instant.now().plus(Duration.ofDays(400 + testsBegun.incrementAndGet()))));
    BpmnModelInstance component = Bpmn.createExecutableProcess(ProcessKeys.COMPONENT_PREFIX + COMPONENT)
        .camundaHistoryTimeToLive(1)
        .startEvent()
        .serviceTask("work").camundaAsyncBefore().camundaExpression("${nothing.fails()}")
        .endEvent()
        .done();
    BpmnModelInstance composed = Bpmn.createExecutableProcess("step-failures-test-composed")
        .camundaHistoryTimeToLive(1)
        .startEvent()
        .callActivity("step_1_work").calledElement(ProcessKeys.COMPONENT_PREFIX + COMPONENT)
        .endEvent()
        .done();
    deployment = engine.getRepositoryService().createDeployment()
        .addModelInstance("step-failures-test-component.bpmn", component)
        .addModelInstance("step-failures-test-composed.bpmn", composed)
        .deploy();
  }

  @AfterEach
  void tearDown() {
    engine.getRepositoryService().deleteDeployment(deployment.getId(), true);
    ClockUtil.reset();
  }

  @Test
  void shouldShowAFailedJobToScoringWithinOneCheckInterval() {
    // given a composed step whose work in the engine's job executor has not failed yet, as scoring read it
    engine.getRuntimeService().startProcessInstanceByKey("step-failures-test-composed").getId();
    assertThat(failures.failingComponents()).doesNotContain(COMPONENT);

    // when its job throws
    failTheJob();

    // then scoring, which read the jobs' failures a moment ago, does not see it yet
    ClockUtil.setCurrentTime(Date.from(ClockUtil.getCurrentTime().toInstant().plusMillis(1)));
    assertThat(failures.failingComponents()).doesNotContain(COMPONENT);
    // but sees it once that read is a check interval old
    ClockUtil.setCurrentTime(
        Date.from(ClockUtil.getCurrentTime().toInstant().plus(properties.adaptive().checkInterval())));
    assertThat(failures.failingComponents()).contains(COMPONENT);
  }

  @Test
  void shouldShowAFailedJobToTheCheckAtOnceAndScoringTakesTheChecksRead() {
    // given a composed step whose work in the engine's job executor has not failed yet, as scoring read it
    String composed = engine.getRuntimeService().startProcessInstanceByKey("step-failures-test-composed").getId();
    assertThat(failures.failingComponents()).doesNotContain(COMPONENT);

    // when its job throws
    failTheJob();

    // then the adaptive check sees the failure at once, in the composed instance that called the step
    assertThat(failures.now()).containsKey(composed);
    assertThat(failures.now().get(composed)).containsKey(COMPONENT);
    // and scoring takes that read
    assertThat(failures.failingComponents()).contains(COMPONENT);
  }

  private void failTheJob() {
    ManagementService management = engine.getManagementService();
    Job job = management.createJobQuery().processDefinitionKey(ProcessKeys.COMPONENT_PREFIX + COMPONENT).singleResult();
    try {
      management.executeJob(job.getId());
    } catch (RuntimeException expected) {
      // the expression names no bean: the job fails and keeps its retries
    }
  }
}
