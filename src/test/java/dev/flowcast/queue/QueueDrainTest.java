package dev.flowcast.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.adaptive.EngineClock;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionRequest;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.composer.CompositionResult.Status;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.resources.PriceCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The queue drains without a herd: once capacity frees up, the queued requests are composed again
 * in the order of their deadlines, whatever order their timers fire in; while there is room each
 * start makes the next deadline's turn come at once, and the tries that find no room are bounded per
 * tick. The application's clock is the engine's here, so that a tick is a step of the test's clock.
 *
 * <p>The tries that found no room are counted per tick of the clock, in the one bean the tests
 * share, so each test begins a day after the one before: in a tick of its own, whatever order the
 * tests run in. They run in a fixed order in which a test that leaves the tick's tries used up
 * comes right before the others.
 */
@FlowcastTest
@Import(QueueDrainTest.EngineTime.class)
@TestPropertySource(properties = "flowcast.queue.retries-per-tick=" + QueueDrainTest.PER_TICK)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueDrainTest {

  static final int PER_TICK = 10;
  private static final int QUEUED = 50;

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired DecisionLog decisions;
  @Autowired FlowcastProperties properties;

  private static final AtomicInteger testsBegun = new AtomicInteger();

  EngineFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new EngineFixture(engine, composer, catalog);
    fixture.beginOnTheEnginesClock(Instant.now().plus(Duration.ofDays(testsBegun.incrementAndGet())));
  }

  @AfterEach
  void tearDown() {
    fixture.endOnTheEnginesClock();
  }

  @Test
  @Order(3)
  void shouldStartQueuedRequestsInDeadlineOrderWhenOnlyTheirOwnTimersFire() {
    // given 50 requests that nothing fits, queued in an order unrelated to their deadlines
    Instant start = ClockUtil.getCurrentTime().toInstant();
    Map<String, Instant> deadlines = queueRequestsThatNothingFits(start);

    // when capacity frees up for all of them, and tick after tick every waiting request's timer
    // fires once, the latest deadline's first (the turns pulled forward fire in the next tick)
    fixture.makeAllPoolsVeryLarge();
    Duration tickLength = properties.queue().retryInterval();
    List<List<Instant>> startedPerTick = new ArrayList<>();
    for (int tick = 1; tick <= QUEUED && !waiting().isEmpty(); tick++) {
      Instant tickStart = start.plus(tickLength.multipliedBy(tick));
      ClockUtil.setCurrentTime(Date.from(tickStart));
      List<Instant> started = new ArrayList<>();
      for (String queued : waiting().stream().sorted(Comparator.comparing(deadlines::get).reversed()).toList()) {
        fireTimer(queued);
        if (fixture.instance(queued) == null) {
          started.add(deadlines.get(queued));
        }
      }
      // then no tick composes more than the bound
      assertThat(retriesOf(deadlines.keySet(), tickStart))
          .as("compositions in tick %d", tick).hasSizeLessThanOrEqualTo(PER_TICK);
      startedPerTick.add(started.stream().sorted().toList());
    }

    // and all started, the earlier deadlines in earlier ticks, as fast as the bound allows
    assertThat(waiting()).isEmpty();
    assertThat(startedPerTick.stream().flatMap(List::stream).toList()).as("deadlines in the order of the ticks they started in")
        .hasSize(QUEUED).isSorted();
    assertThat(startedPerTick).as("started per tick").hasSize(QUEUED / PER_TICK)
        .allSatisfy(tick -> assertThat(tick).hasSize(PER_TICK));
  }

  @Test
  @Order(4)
  void shouldDrainTheQueueWithinOneTickWhileThereIsRoomEachStartPullingTheNextTurnForward() {
    // given 50 requests that nothing fits, queued in an order unrelated to their deadlines
    Instant start = ClockUtil.getCurrentTime().toInstant();
    Map<String, Instant> deadlines = queueRequestsThatNothingFits(start);

    // when capacity frees up for all of them, and in the next tick the due timers fire as the job
    // executor finds them, the latest deadline's first, until none is due
    Instant tick = nextTickWithRoom(start);
    List<Instant> started = new ArrayList<>();
    for (List<String> due = dueTimers(); !due.isEmpty(); due = dueTimers()) {
      for (String queued : due.stream().sorted(Comparator.comparing(deadlines::get).reversed()).toList()) {
        long earlierWaiting = waiting().stream().filter(w -> deadlines.get(w).isBefore(deadlines.get(queued))).count();
        fireTimer(queued);
        if (fixture.instance(queued) == null) {
          // then each starts only among the earliest deadlines still waiting
          assertThat(earlierWaiting).as("earlier deadlines waiting when %s started", queued).isLessThan(PER_TICK);
          started.add(deadlines.get(queued));
        }
      }
    }

    // then all started within that one tick, and no try found no room
    assertThat(waiting()).isEmpty();
    assertThat(started).hasSize(QUEUED);
    assertThat(retriesOf(deadlines.keySet(), tick))
        .hasSize(QUEUED).allSatisfy(retry -> assertThat(retry.status()).isEqualTo(Status.STARTED.name()));
  }

  @Test
  @Order(2)
  void shouldBoundTheTriesThatFindNoRoomOnceTheRoomIsGoneAndPullNothingMore() {
    // given 50 requests that nothing fits, and room for them in the next tick
    Instant start = ClockUtil.getCurrentTime().toInstant();
    Map<String, Instant> deadlines = queueRequestsThatNothingFits(start);
    Instant tick = nextTickWithRoom(start);

    // when the room is gone after 15 starts, and the due timers go on firing until none is due
    int startedBeforeTheRoomWentAway = 15;
    int started = 0;
    for (List<String> due = dueTimers(); !due.isEmpty(); due = dueTimers()) {
      for (String queued : due.stream().sorted(Comparator.comparing(deadlines::get)).toList()) {
        fireTimer(queued);
        if (fixture.instance(queued) == null && ++started == startedBeforeTheRoomWentAway) {
          fixture.setAllPoolCapacities(0.1, 64);
        }
      }
    }

    // then nothing more is pulled forward, and the tick's tries that found no room are bounded
    assertThat(waiting()).hasSize(QUEUED - startedBeforeTheRoomWentAway);
    assertThat(dueTimers()).isEmpty();
    assertThat(retriesOf(deadlines.keySet(), tick).stream()
        .filter(retry -> retry.status().equals(Status.QUEUED.name())).count())
        .as("tries in the tick that found no room").isPositive().isLessThanOrEqualTo(PER_TICK);
  }

  @Test
  @Order(1)
  void shouldBoundTheTriesThatFindNoRoomWhenManyRequestsShareTheEarliestDeadline() {
    // given 50 requests that nothing fits, all with the same deadline: none has an earlier one, so
    // the rank lets every one of them compose
    Instant start = ClockUtil.getCurrentTime().toInstant();
    fixture.setAllPoolCapacities(0.1, 64);
    Instant deadline = start.plus(Duration.ofHours(1));
    Set<String> queued = new HashSet<>();
    for (int i = 0; i < QUEUED; i++) {
      queued.add(composer.compose(
          new CompositionRequest("alice", "run-report", Map.of(), deadline, CompositionRequest.Origin.REQUEST))
          .processInstanceId());
    }

    // when, still without room, every one's timer fires in the next tick
    Instant tick = start.plus(properties.queue().retryInterval());
    ClockUtil.setCurrentTime(Date.from(tick));
    queued.forEach(this::fireTimer);

    // then only the tick's bound composed and found no room; the others waited without composing
    assertThat(waiting()).hasSize(QUEUED);
    assertThat(retriesOf(queued, tick)).as("tries in the tick")
        .hasSize(PER_TICK).allSatisfy(retry -> assertThat(retry.status()).isEqualTo(Status.QUEUED.name()));
  }

  @Test
  @Order(5)
  void shouldLetARequestFarBackInTheQueueWaitAsManyTicksAsTheTurnsAheadOfItTake() {
    // given 50 requests that nothing fits, queued in an order unrelated to their deadlines
    Instant start = ClockUtil.getCurrentTime().toInstant();
    Map<String, Instant> deadlines = queueRequestsThatNothingFits(start);
    List<String> byDeadline = deadlines.keySet().stream().sorted(Comparator.comparing(deadlines::get)).toList();

    // when, still without room, every one's timer fires in the next tick, the earliest deadline's first
    Duration tickLength = properties.queue().retryInterval();
    Instant tick = start.plus(tickLength);
    ClockUtil.setCurrentTime(Date.from(tick));
    byDeadline.forEach(this::fireTimer);

    // then the earliest deadlines look again in the next tick, and each later one as many ticks on as
    // the requests ahead of it need to take their turns at the bound per tick
    assertThat(waiting()).hasSize(QUEUED);
    for (int ahead = 0; ahead < QUEUED; ahead++) {
      long ticks = Math.max(1, ahead / PER_TICK);
      assertThat(timerOf(byDeadline.get(ahead)).getDuedate().toInstant())
          .as("next look of the request with %d earlier deadlines", ahead)
          .isEqualTo(tick.plus(tickLength.multipliedBy(ticks)));
    }
  }

  @Test
  @Order(6)
  void shouldPullTheNextTurnForwardWhenAQueuedRequestExpires() {
    // given ten requests that nothing fits due in an hour, and one due before the next tick
    Instant start = ClockUtil.getCurrentTime().toInstant();
    fixture.setAllPoolCapacities(0.1, 64);
    Duration tickLength = properties.queue().retryInterval();
    String expiring = queue(start.plus(tickLength.multipliedBy(3).dividedBy(2)));
    List<String> later = new ArrayList<>();
    for (int i = 0; i < PER_TICK; i++) {
      later.add(queue(start.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(i))));
    }
    // that have all looked once, without room
    ClockUtil.setCurrentTime(Date.from(start.plus(tickLength)));
    fireTimer(expiring);
    later.forEach(this::fireTimer);
    assertThat(dueTimers()).isEmpty();

    // when the first one's deadline passes and its timer fires
    ClockUtil.setCurrentTime(Date.from(start.plus(tickLength.multipliedBy(3).dividedBy(2)).plusSeconds(1)));
    assertThat(dueTimers()).containsExactly(expiring);
    fireTimer(expiring);

    // then it has expired, and the next deadline's turn has come at once rather than at its timer
    assertThat(fixture.instance(expiring)).isNull();
    assertThat(dueTimers()).containsExactly(later.get(0));
  }

  private String queue(Instant deadline) {
    CompositionResult queued = composer.compose(
        new CompositionRequest("alice", "run-report", Map.of(), deadline, CompositionRequest.Origin.REQUEST));
    assertThat(queued.status()).isEqualTo(Status.QUEUED);
    return queued.processInstanceId();
  }

  private Job timerOf(String queued) {
    return engine.getManagementService().createJobQuery().processInstanceId(queued).timers().singleResult();
  }

  /** The queue's tries of these queued requests since the given time (other tests' decisions stay in the log). */
  private List<Decision> retriesOf(Set<String> queued, Instant since) {
    return decisions.find(new DecisionQuery(null, null, null, Decision.Kind.QUEUE_RETRY, since, 1000)).stream()
        .filter(retry -> queued.contains(retry.processInstanceId())).toList();
  }

  private Map<String, Instant> queueRequestsThatNothingFits(Instant start) {
    fixture.setAllPoolCapacities(0.1, 64);
    Map<String, Instant> deadlines = new HashMap<>();
    for (int i = 0; i < QUEUED; i++) {
      Instant deadline = start.plus(Duration.ofHours(1)).plus(Duration.ofMinutes((i * 17L) % QUEUED));
      CompositionResult queued = composer.compose(
          new CompositionRequest("alice", "run-report", Map.of(), deadline, CompositionRequest.Origin.REQUEST));
      assertThat(queued.status()).isEqualTo(Status.QUEUED);
      deadlines.put(queued.processInstanceId(), deadline);
    }
    return deadlines;
  }

  /** Room for every queued request, and the engine's clock at the next tick's start. */
  private Instant nextTickWithRoom(Instant start) {
    fixture.makeAllPoolsVeryLarge();
    Instant tick = start.plus(properties.queue().retryInterval());
    ClockUtil.setCurrentTime(Date.from(tick));
    return tick;
  }


  /** The queued requests whose timer is due at the engine's time, as the job executor would find them. */
  private List<String> dueTimers() {
    return engine.getManagementService().createJobQuery().processDefinitionKey(ProcessKeys.QUEUE).timers()
        .executable().list().stream().map(Job::getProcessInstanceId).toList();
  }

  private List<String> waiting() {
    return engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(ProcessKeys.QUEUE).list()
        .stream().map(ProcessInstance::getId).toList();
  }

  private void fireTimer(String queued) {
    engine.getManagementService().executeJob(timerOf(queued).getId());
  }

  /** The application's clock follows the engine's, which the test moves. */
  @TestConfiguration(proxyBeanMethods = false)
  static class EngineTime {

    @Bean
    Clock flowcastClock() {
      return EngineClock.asClock();
    }
  }
}
