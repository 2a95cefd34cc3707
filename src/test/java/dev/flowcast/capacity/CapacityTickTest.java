package dev.flowcast.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.queue.QueuedDemand;
import dev.flowcast.resources.DemandOutlook;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceMonitor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The planner's tick in the application, with a provider of the test's own chosen by name (as
 * {@code local-workers} or a user's bean would be): the shipped catalog's elastic pools, the
 * reactive rule, real reservations, the decision log on H2. The schedule is an hour apart, so
 * only the test ticks.
 */
@OnTheTestCloud
class CapacityTickTest {

  @TestConfiguration(proxyBeanMethods = false)
  static class Cloud {
    @Bean
    TestCloud testCloud(PriceCatalog catalog) {
      return new TestCloud(catalog);
    }
  }

  @Autowired CapacityTick tick;
  @Autowired TestCloud cloud;
  @Autowired DecisionLog decisions;
  @Autowired ReservationLedger ledger;
  @Autowired ResourceMonitor monitor;
  @Autowired MeterRegistry meters;
  @Autowired PriceCatalog catalog;
  @Autowired ProviderPoolSupply sizes;
  @Autowired PoolTargets targets;
  @Autowired CapacityMetrics metrics;
  @Autowired DemandOutlook outlook;
  @Autowired QueuedDemand queued;
  @Autowired JdbcClient jdbc;
  @Autowired Clock clock;

  private final String instance = "held-" + UUID.randomUUID();

  @BeforeEach
  void aCloudWithOneOnDemandUnitAndNoSpot() {
    cloud.reset();
    sizes.forget("spot");
    sizes.forget("on-demand");
  }

  @AfterEach
  void releaseWhatTheTestHeld() {
    ledger.release(instance);
  }

  @Test
  void shouldAskTheProviderForTheSizeThePlannerWantsAndLogAScaleDecisionWithItsFigures() {
    Instant now = clock.instant();
    // 6 vCPU running in spot: at 50% of 2-vCPU units, the reactive rule wants 6 units
    ledger.reserve(instance, Map.of("spot", new ResourceDemand(6, 8192, 0, 0)));

    List<Decision> logged = tick.tick(now);

    assertThat(logged).hasSize(1);
    Decision scale = logged.get(0);
    assertThat(scale.kind()).isEqualTo(Decision.Kind.SCALE);
    assertThat(scale.status()).isEqualTo("REQUESTED");
    assertThat(scale.reason()).startsWith("pool spot: asked for 6 units (now 0)");
    assertThat(scale.details()).containsEntry("pool", "spot").containsEntry("desiredUnits", 6)
        .containsEntry("provider", TestCloud.NAME).containsEntry("planner", "reactive");
    assertThat(scaleDecisionsSince(now)).extracting(Decision::id).contains(scale.id());
    assertThat(cloud.provisioned("spot")).isEqualTo(6);
    assertThat(meters.get(CapacityMetrics.DESIRED_UNITS).tag("pool", "spot").gauge().value()).isEqualTo(6);
    assertThat(meters.get(CapacityMetrics.SCALE_ACTIONS).tags("pool", "spot", "status", "requested").counter().count())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void shouldLetTheComposerCountUnitsOnTheirWayFromTheHorizonTheyAreReadyBy() {
    Instant now = clock.instant();
    ledger.reserve(instance, Map.of("spot", new ResourceDemand(6, 8192, 0, 0)));

    freshTick(false).tick(now);
    var spot = monitor.profile(now).pools().get("spot");

    assertThat(spot.capacity().vcpu()).as("nothing ready yet").isZero();
    assertThat(spot.availableAt(Duration.ofMinutes(5)).vcpu()).as("6 units of 2 vCPU by +5 min, 6 vCPU held")
        .isGreaterThan(0);
  }

  @Test
  void shouldLogAFailedScaleDecisionWithTheProvidersReasonAndKeepWhatIsReady() {
    Instant now = clock.instant();
    ledger.reserve(instance, Map.of("spot", new ResourceDemand(6, 8192, 0, 0)));
    cloud.failWith("the cloud's API answered 503 Service Unavailable");

    List<Decision> logged = freshTick(false).tick(now);

    assertThat(logged).singleElement().satisfies(failed -> {
      assertThat(failed.status()).isEqualTo("FAILED");
      assertThat(failed.reason()).contains("did not take 6 units (now 0)")
          .contains("the cloud's API answered 503 Service Unavailable")
          .contains("the composer plans with the 0 ready");
      assertThat(failed.details()).containsEntry("error", "the cloud's API answered 503 Service Unavailable");
    });
    assertThat(cloud.provisioned("spot")).isZero();
    assertThat(monitor.profile(now).pools().get("spot").availableAt(Duration.ofMinutes(15)).vcpu())
        .as("nothing on its way").isZero();
  }

  @Test
  void shouldLogAFailedScaleDecisionWhenThePoolsSizeCannotBeRead() {
    Instant now = clock.instant();
    cloud.failReadsWith("the cloud's API cannot be reached");

    List<Decision> logged = freshTick(false).tick(now);

    assertThat(logged).extracting(Decision::status).containsOnly("FAILED");
    assertThat(logged).extracting(Decision::reason)
        .contains("pool spot: the size of the pool cannot be read: the cloud's API cannot be reached");
  }

  @Test
  void shouldDecideAndLogInShadowModeWithoutAskingTheProviderAndLogTheSameDecisionOnce() {
    Instant now = clock.instant();
    ledger.reserve(instance, Map.of("spot", new ResourceDemand(6, 8192, 0, 0)));
    CapacityTick shadow = freshTick(true);

    List<Decision> first = shadow.tick(now);
    List<Decision> second = shadow.tick(now.plusSeconds(30));

    assertThat(first).singleElement().satisfies(d -> {
      assertThat(d.status()).isEqualTo("SHADOW");
      assertThat(d.reason()).startsWith("pool spot: shadow: would ask for 6 units (now 0)");
    });
    assertThat(second).as("the same decision again is not logged again").isEmpty();
    assertThat(cloud.provisioned("spot")).as("nothing asked for").isZero();
    assertThat(cloud.requests()).isZero();
  }

  @Test
  void shouldPlanForWhatThePoolsUnitsReportBusyWhenItIsMoreThanTheReservationsNotForTheirSum() {
    Instant now = clock.instant();
    cloud.readyNow("spot", 1);
    // 3 vCPU of spot's slots busy, 1 vCPU of it reserved by a composed instance: the same work
    cloud.busy("spot", new ResourceDemand(3, 4096, 0, 0));
    ledger.reserve(instance, Map.of("spot", new ResourceDemand(1, 1024, 0, 0)));

    List<Decision> logged = freshTick(false).tick(now);

    // at 50% of 2-vCPU units, 3 vCPU running want 3 units (the sum, 4 vCPU, would want 4)
    assertThat(logged).singleElement().satisfies(scale -> {
      assertThat(scale.reason()).startsWith("pool spot: asked for 3 units (now 1)");
      assertThat(scale.details().get("figures")).asString().contains("runningVcpu=3.0");
    });
  }

  @Test
  void shouldGiveThePlannerTheLeadTimeTheProviderMeasuredRatherThanTheCatalogs() {
    Instant now = clock.instant();
    List<Duration> leadTimes = new java.util.concurrent.CopyOnWriteArrayList<>();
    CapacityPlanner recording = new CapacityPlanner() {
      @Override
      public String name() {
        return "recording";
      }

      @Override
      public ScalingPlan plan(PoolOutlook outlook) {
        leadTimes.add(outlook.elasticity().leadTime());
        return new ScalingPlan(outlook.pool(), outlook.size().provisionedUnits(), Duration.ZERO, "as it is", Map.of());
      }
    };

    tickWith(recording).tick(now);
    cloud.measuredLeadTime(Duration.ofSeconds(7));
    tickWith(recording).tick(now.plusSeconds(10));

    // on-demand and spot: the catalog's 90 s and 3 min, then the 7 s measured
    assertThat(leadTimes).containsExactlyInAnyOrder(Duration.ofSeconds(90), Duration.ofMinutes(3),
        Duration.ofSeconds(7), Duration.ofSeconds(7));
  }

  @Test
  void shouldLetOneNodeAtATimeHoldThePlannersLease() {
    Instant now = clock.instant().plus(Duration.ofDays(1)); // past whatever the scheduled tick may hold
    CapacityLease first = new CapacityLease(jdbc, "node-a");
    CapacityLease second = new CapacityLease(jdbc, "node-b");

    assertThat(first.acquire(now, Duration.ofSeconds(90))).isTrue();
    assertThat(second.acquire(now.plusSeconds(30), Duration.ofSeconds(90))).as("held by node-a").isFalse();
    assertThat(first.acquire(now.plusSeconds(30), Duration.ofSeconds(90))).as("renewed by its holder").isTrue();
    assertThat(second.acquire(now.plusSeconds(121), Duration.ofSeconds(90))).as("expired: taken over").isTrue();
    assertThat(first.acquire(now.plusSeconds(122), Duration.ofSeconds(90))).isFalse();
  }

  /** The database keeps microseconds at most: a second before is safely before. */
  private List<Decision> scaleDecisionsSince(Instant since) {
    return decisions.find(new DecisionQuery(null, null, null, Decision.Kind.SCALE, since.minusSeconds(1), 100));
  }

  /**
   * A tick of the test's own, as the configuration builds it: the application's tick remembers
   * what it asked for within a lead time, and the test's cloud forgets it between tests.
   */
  private CapacityTick freshTick(boolean shadow) {
    return tick(new ReactivePlanner(0.5, Duration.ZERO), shadow);
  }

  private CapacityTick tickWith(CapacityPlanner planner) {
    return tick(planner, false);
  }

  private CapacityTick tick(CapacityPlanner planner, boolean shadow) {
    return new CapacityTick(catalog, cloud, planner,
        new CapacityTick.Inputs(monitor, outlook, ledger::heldPerPool, queued::perPool), decisions, targets,
        new CapacityLease(jdbc, "test"), metrics, sizes, () -> shadow, Duration.ofHours(1), true, clock);
  }
}
