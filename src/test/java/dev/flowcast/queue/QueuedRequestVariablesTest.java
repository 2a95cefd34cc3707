package dev.flowcast.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionRequest;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.composer.CompositionResult.Status;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.config.ProcessVariables;
import dev.flowcast.resources.PriceCatalog;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * A queued request keeps the variables that it is composed again from and that people look it up
 * by (user, intent, deadline, the demand the capacity planner sizes for, its parameters when it has
 * any), and writes none of the values the queue process reads once (the wait its timer is set to,
 * the outcome its gateway routes on): each kept variable is three rows with their indexes, written
 * on the request's thread or on every look again. The same context as {@link QueueDrainTest}.
 */
@FlowcastTest
@Import(QueueDrainTest.EngineTime.class)
@TestPropertySource(properties = "flowcast.queue.retries-per-tick=" + QueueDrainTest.PER_TICK)
class QueuedRequestVariablesTest {

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired FlowcastProperties properties;

  EngineFixture fixture;
  Instant now;

  @BeforeEach
  void setUp() {
    fixture = new EngineFixture(engine, composer, catalog);
    now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    fixture.beginOnTheEnginesClock(now);
    fixture.setAllPoolCapacities(0.1, 64);
  }

  @AfterEach
  void tearDown() {
    fixture.endOnTheEnginesClock();
  }

  @Test
  void shouldKeepTheUserIntentDeadlineAndDemandAndSetTheTimerToTheRetryInterval() {
    String queued = queue(Map.of());

    assertThat(kept(queued)).containsOnlyKeys(ProcessVariables.USER, ProcessVariables.INTENT,
        ProcessVariables.DEADLINE, ProcessVariables.QUEUED_DEMAND);
    assertThat(history().createHistoricVariableInstanceQuery().processInstanceId(queued).count()).isEqualTo(4);
    assertThat(timer(queued).getDuedate().toInstant()).isEqualTo(now.plus(properties.queue().retryInterval()));
  }

  @Test
  void shouldKeepTheParametersOfARequestThatHasThem() {
    String queued = queue(Map.of("region", "emea"));

    assertThat(kept(queued)).containsEntry(ProcessVariables.PARAMETERS, "{\"region\":\"emea\"}");
  }

  @Test
  void shouldLookAgainAfterTheIntervalWithoutWritingAVariableWhenNothingFitsYet() {
    String queued = queue(Map.of());
    long updatesBefore = variableUpdates(queued);

    // when its timer fires and still nothing fits
    Instant fired = now.plus(properties.queue().retryInterval());
    ClockUtil.setCurrentTime(Date.from(fired));
    fixture.fireTimers(queued);

    // then it waits one more interval, with the same variables and not one variable row written
    assertThat(timer(queued).getDuedate().toInstant()).isEqualTo(fired.plus(properties.queue().retryInterval()));
    assertThat(kept(queued)).doesNotContainKeys(ProcessVariables.RETRY_INTERVAL, ProcessVariables.QUEUE_STATUS);
    assertThat(variableUpdates(queued)).isEqualTo(updatesBefore);
  }

  @Test
  void shouldUpdateTheIntervalAnInstanceWasStartedWithWhenItWaitsAgain() {
    // given a queue instance started through the engine's API (or by an earlier version) keeping its interval
    ProcessInstance queued = engine.getRuntimeService().startProcessInstanceByKey(ProcessKeys.QUEUE, Map.of(
        ProcessVariables.INTENT, "run-report", ProcessVariables.USER, "alice",
        ProcessVariables.DEADLINE, Date.from(now.plus(Duration.ofHours(1))),
        ProcessVariables.RETRY_INTERVAL, "PT5M"));

    // when its timer fires and nothing fits
    Instant fired = now.plus(Duration.ofMinutes(5));
    ClockUtil.setCurrentTime(Date.from(fired));
    fixture.fireTimers(queued.getId());

    // then it waits the queue's interval, which its kept variable now says
    Duration interval = properties.queue().retryInterval();
    assertThat(timer(queued.getId()).getDuedate().toInstant()).isEqualTo(fired.plus(interval));
    assertThat(kept(queued.getId())).containsEntry(ProcessVariables.RETRY_INTERVAL, interval.toString());
  }

  private String queue(Map<String, Object> parameters) {
    CompositionResult queued = composer.compose(new CompositionRequest(
        "alice", "run-report", parameters, now.plus(Duration.ofHours(1)), CompositionRequest.Origin.REQUEST));
    assertThat(queued.status()).isEqualTo(Status.QUEUED);
    return queued.processInstanceId();
  }

  private Map<String, Object> kept(String instance) {
    return engine.getRuntimeService().getVariables(instance);
  }

  private long variableUpdates(String instance) {
    return history().createHistoricDetailQuery().processInstanceId(instance).variableUpdates().count();
  }

  private Job timer(String instance) {
    return engine.getManagementService().createJobQuery().processInstanceId(instance).timers().singleResult();
  }

  private HistoryService history() {
    return engine.getHistoryService();
  }
}
