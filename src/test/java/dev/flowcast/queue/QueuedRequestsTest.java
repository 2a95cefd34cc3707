package dev.flowcast.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionRequest;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.composer.CompositionResult.Status;
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
 * behind would hold back every request with a later deadline. The same context as
 * {@link QueueDrainTest} (the application's clock is the engine's, which the test moves).
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

  private String queue(Instant deadline) {
    CompositionResult queued = composer.compose(
        new CompositionRequest("alice", "run-report", Map.of(), deadline, CompositionRequest.Origin.REQUEST));
    assertThat(queued.status()).isEqualTo(Status.QUEUED);
    return queued.processInstanceId();
  }

  private List<String> listed() {
    return jdbc.sql("select process_instance_id from flowcast_queued_request").query(String.class).list();
  }

  private RuntimeService runtime() {
    return engine.getRuntimeService();
  }
}
