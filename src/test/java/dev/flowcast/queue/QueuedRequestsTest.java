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
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The list of queued requests holds exactly the requests waiting in the queue process: a row is
 * added when a request is queued and removed however its queue instance ends, since a row left
 * behind would hold back every request with a later deadline. A queued request keeps the variables
 * that it is composed again from and that people look it up by (user, intent, deadline, the demand
 * the capacity planner sizes for, its parameters when it has any), and writes none of the values the
 * queue process reads once (the wait its timer is set to, the outcome its gateway routes on): each
 * kept variable is three rows with their indexes, written on the request's thread or on every look
 * again. The same context as {@link QueueDrainTest} (the application's clock is the engine's, which
 * the test moves).
 */
@FlowcastTest
@Import(QueueDrainTest.EngineTime.class)
@TestPropertySource(properties = "flowcast.queue.retries-per-tick=" + QueueDrainTest.PER_TICK)
class QueuedRequestsTest {

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired QueuedRequests queuedRequests;
  @Autowired QueueDeployment queueDeployment;
  @Autowired JdbcClient jdbc;
  @Autowired FlowcastProperties properties;

  EngineFixture fixture;
  Instant now;

  @BeforeEach
  void setUp() {
    fixture = new EngineFixture(engine, composer, catalog);
    now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    fixture.beginOnTheEnginesClock(now);
    fixture.setAllPoolCapacities(0.1, 64);
  }

  @AfterEach
  void tearDown() {
    fixture.endOnTheEnginesClock();
  }

  @Test
  void shouldListAQueuedRequestWithItsDeadlineIntentAndUser() {
    // when a request that nothing fits is queued
    Instant deadline = now.plus(Duration.ofHours(1));
    String queued = queue(deadline);

    // then it is listed with its deadline, as the only one
    assertThat(listed()).containsExactly(queued);
    assertThat(jdbc.sql("select deadline, intent, user_id, queued_at from flowcast_queued_request").query(
            (row, i) -> List.of(row.getTimestamp(1).toInstant(), row.getString(2), row.getString(3),
                row.getTimestamp(4) != null)).single())
        .containsExactly(deadline, "run-report", "alice", true);
  }

  @Test
  void shouldUnlistARequestWhenItStarts() {
    String queued = queue(now.plus(Duration.ofHours(1)));
    String other = queue(now.plus(Duration.ofHours(2)));

    // when room frees up and the first one's timer fires
    fixture.makeAllPoolsVeryLarge();
    ClockUtil.setCurrentTime(Date.from(now.plus(Duration.ofMinutes(1))));
    fixture.fireTimers(queued);

    // then it started and is no longer listed; the other one still is
    assertThat(fixture.instance(queued)).isNull();
    assertThat(listed()).containsExactly(other);
  }

  @Test
  void shouldUnlistARequestWhoseDeadlinePassed() {
    String queued = queue(now.plus(Duration.ofMinutes(1)));

    // when its timer fires after its deadline
    ClockUtil.setCurrentTime(Date.from(now.plus(Duration.ofMinutes(2))));
    fixture.fireTimers(queued);

    // then it expired and is no longer listed
    assertThat(fixture.instance(queued)).isNull();
    assertThat(listed()).isEmpty();
  }

  @Test
  void shouldListAQueueInstanceStartedThroughTheEngineAndUnlistItWhenItIsRejected() {
    // given a queue instance started through the engine's API, for an intent that does not exist
    ProcessInstance queued = runtime().startProcessInstanceByKey(ProcessKeys.QUEUE, Map.of(
        ProcessVariables.INTENT, "no-such-intent", ProcessVariables.USER, "alice",
        ProcessVariables.DEADLINE, Date.from(now.plus(Duration.ofHours(1))),
        ProcessVariables.RETRY_INTERVAL, "PT30S"));
    assertThat(listed()).containsExactly(queued.getId());

    // when its timer fires, and the intent cannot be composed
    ClockUtil.setCurrentTime(Date.from(now.plus(Duration.ofMinutes(1))));
    fixture.fireTimers(queued.getId());

    // then it ended rejected and is no longer listed
    assertThat(fixture.instance(queued.getId())).isNull();
    assertThat(listed()).isEmpty();
  }

  @Test
  void shouldUnlistARequestDeletedThroughTheEngineWithOrWithoutItsListeners() {
    String deleted = queue(now.plus(Duration.ofHours(1)));
    String deletedSkippingListeners = queue(now.plus(Duration.ofHours(2)));
    String cancelled = queue(now.plus(Duration.ofHours(3)));
    String waiting = queue(now.plus(Duration.ofHours(4)));

    // when a user deletes one, deletes one skipping custom listeners, and cancels one's wait skipping them
    runtime().deleteProcessInstance(deleted, "deleted by a user");
    runtime().deleteProcessInstance(deletedSkippingListeners, "deleted by a user", true);
    runtime().createProcessInstanceModification(cancelled).cancelAllForActivity("wait_for_capacity")
        .execute(true, true);

    // then only the one still waiting is listed
    assertThat(fixture.instance(deleted)).isNull();
    assertThat(fixture.instance(deletedSkippingListeners)).isNull();
    assertThat(fixture.instance(cancelled)).isNull();
    assertThat(listed()).containsExactly(waiting);
  }

  @Test
  void shouldListAtStartExactlyTheWaitingRequestsThoseQueuedBeforeTheListWasKeptIncluded() throws Exception {
    // given two queued requests, one of them not listed (as if queued by a version without the list),
    // and a row left by a request that ended on such a version
    Instant deadline = now.plus(Duration.ofHours(1));
    String unlisted = queue(deadline);
    String listed = queue(now.plus(Duration.ofHours(2)));
    jdbc.sql("delete from flowcast_queued_request where process_instance_id = ?").param(unlisted).update();
    jdbc.sql("insert into flowcast_queued_request (process_instance_id, deadline) values ('ended-elsewhere', ?)")
        .param(Timestamp.from(now.plus(Duration.ofMinutes(30)))).update();

    // when the application starts again
    queueDeployment.afterPropertiesSet();

    // then both waiting requests are listed, once each, the unlisted one with its deadline, and nothing else
    assertThat(listed()).containsExactlyInAnyOrder(unlisted, listed);
    assertThat(jdbc.sql("select deadline from flowcast_queued_request where process_instance_id = ?").param(unlisted)
        .query(Timestamp.class).single().toInstant()).isEqualTo(deadline);
  }

  @Test
  void shouldNotLetARequestWhoseDeadlinePassedHoldBackALaterOne() {
    // given a request whose deadline has passed (its timer has not fired yet) and one still waiting
    queue(now.plus(Duration.ofMinutes(1)));
    Date later = Date.from(now.plus(Duration.ofHours(1)));
    queue(later.toInstant());
    assertThat(queuedRequests.earlierThan(later)).isEqualTo(1);

    // when the first one's deadline passes, then it no longer counts as earlier
    ClockUtil.setCurrentTime(Date.from(now.plus(Duration.ofMinutes(2))));
    assertThat(queuedRequests.earlierThan(later)).isZero();
  }

  @Test
  void shouldKeepTheUserIntentDeadlineAndDemandAndSetTheTimerToTheRetryInterval() {
    String queued = queue(now.plus(Duration.ofHours(1)));

    assertThat(kept(queued)).containsOnlyKeys(ProcessVariables.USER, ProcessVariables.INTENT,
        ProcessVariables.DEADLINE, ProcessVariables.QUEUED_DEMAND);
    assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(queued).count()).isEqualTo(4);
    assertThat(timer(queued).getDuedate().toInstant()).isEqualTo(now.plus(properties.queue().retryInterval()));
  }

  @Test
  void shouldKeepTheParametersOfARequestThatHasThem() {
    String queued = queue(now.plus(Duration.ofHours(1)), Map.of("region", "emea"));

    assertThat(kept(queued)).containsEntry(ProcessVariables.PARAMETERS, "{\"region\":\"emea\"}");
  }

  @Test
  void shouldLookAgainAfterTheIntervalWithoutWritingAVariableWhenNothingFitsYet() {
    String queued = queue(now.plus(Duration.ofHours(1)));
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
    ProcessInstance queued = runtime().startProcessInstanceByKey(ProcessKeys.QUEUE, Map.of(
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

  private String queue(Instant deadline) {
    return queue(deadline, Map.of());
  }

  private String queue(Instant deadline, Map<String, Object> parameters) {
    CompositionResult queued = composer.compose(
        new CompositionRequest("alice", "run-report", parameters, deadline, CompositionRequest.Origin.REQUEST));
    assertThat(queued.status()).isEqualTo(Status.QUEUED);
    return queued.processInstanceId();
  }

  private Map<String, Object> kept(String instance) {
    return runtime().getVariables(instance);
  }

  private long variableUpdates(String instance) {
    return engine.getHistoryService().createHistoricDetailQuery().processInstanceId(instance).variableUpdates()
        .count();
  }

  private Job timer(String instance) {
    return engine.getManagementService().createJobQuery().processInstanceId(instance).timers().singleResult();
  }

  private List<String> listed() {
    return jdbc.sql("select process_instance_id from flowcast_queued_request").query(String.class).list();
  }

  private RuntimeService runtime() {
    return engine.getRuntimeService();
  }
}
