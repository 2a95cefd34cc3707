package dev.flowcast.composer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.adaptive.EngineClock;
import dev.flowcast.composer.CompositionResult.Status;
import dev.flowcast.config.FlowcastProperties;
import dev.flowcast.config.ProcessKeys;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The queue drains without a herd: once capacity frees up, the queued requests are composed again
 * in the order of their deadlines, a bounded number per tick, whatever order their timers fire in.
 * The application's clock is the engine's here, so that a tick is a step of the test's clock.
 */
@FlowcastTest
@Import(QueueDrainTest.EngineTime.class)
@TestPropertySource(properties = "flowcast.queue.retries-per-tick=" + QueueDrainTest.PER_TICK)
class QueueDrainTest {

  static final int PER_TICK = 10;
  private static final int QUEUED = 50;

  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired DecisionLog decisions;
  @Autowired FlowcastProperties properties;

  EngineFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new EngineFixture(engine, composer, catalog);
    ClockUtil.setCurrentTime(Date.from(Instant.now()));
    fixture.cancelRunningInstances();
  }

  @AfterEach
  void tearDown() {
    fixture.cancelRunningInstances();
    fixture.resetPools();
    ClockUtil.reset();
  }

  @Test
  void shouldStartQueuedRequestsInDeadlineOrderAndNoMoreThanTheBoundPerTick() {
    // given 50 requests that nothing fits, queued in an order unrelated to their deadlines
    fixture.setAllPoolCapacities(0.1, 64);
    Instant start = ClockUtil.getCurrentTime().toInstant();
    Map<String, Instant> deadlines = new HashMap<>();
    for (int i = 0; i < QUEUED; i++) {
      Instant deadline = start.plus(Duration.ofHours(1)).plus(Duration.ofMinutes((i * 17L) % QUEUED));
      CompositionResult queued = composer.compose(
          new CompositionRequest("alice", "run-report", Map.of(), deadline, CompositionRequest.Origin.REQUEST));
      assertThat(queued.status()).isEqualTo(Status.QUEUED);
      deadlines.put(queued.processInstanceId(), deadline);
    }

    // when capacity frees up for all of them, and tick after tick every waiting request's timer
    // fires, the latest deadline's first
    catalog.pools().values().forEach(pool -> fixture.setPool(new PricedPool(pool.name(),
        new ResourceDemand(100_000, 1e9, 1e9, 1e9), pool.pricePerVcpuHour(), pool.pricePerGbHour(),
        pool.interruptionRatePerHour())));
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
      assertThat(decisions.find(new DecisionQuery(null, null, null, Decision.Kind.QUEUE_RETRY, tickStart, 1000)))
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

  private List<String> waiting() {
    return engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(ProcessKeys.QUEUE).list()
        .stream().map(ProcessInstance::getId).toList();
  }

  private void fireTimer(String queued) {
    ManagementService management = engine.getManagementService();
    management.executeJob(management.createJobQuery().processInstanceId(queued).timers().singleResult().getId());
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
