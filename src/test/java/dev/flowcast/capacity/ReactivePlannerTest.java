package dev.flowcast.capacity;

import static dev.flowcast.capacity.PlannerFixtures.NOON;
import static dev.flowcast.capacity.PlannerFixtures.from;
import static dev.flowcast.capacity.PlannerFixtures.now;
import static dev.flowcast.capacity.PlannerFixtures.onDemand;
import static dev.flowcast.capacity.PlannerFixtures.vcpu;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.resources.Elasticity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The KEDA/HPA rule: demand queued and running now over the target utilization, shrinking only after a cool-down. */
class ReactivePlannerTest {

  private final Elasticity pool = onDemand();

  @Test
  void shouldAskForTheUnitsThatHoldQueuedAndRunningDemandAtTheTargetUtilization() {
    // given 6 vCPU running and 3 queued, units of 2 vCPU at 75%: 9 / 1.5 = 6 units
    ReactivePlanner planner = new ReactivePlanner(0.75, Duration.ofMinutes(5));

    // when
    ScalingPlan plan = planner.plan(now(NOON, pool, 2, 6, 3));

    // then
    assertThat(plan.desiredUnits()).isEqualTo(6);
    assertThat(plan.figures()).containsEntry("queuedVcpu", 3.0).containsEntry("runningVcpu", 6.0);
  }

  @Test
  void shouldSizeForTheScarcestKindTheUnitOffers() {
    // given 1 vCPU queued that needs 12 GB: units of 2 vCPU hold 4 GB each
    ReactivePlanner planner = new ReactivePlanner(1.0, Duration.ZERO);
    PoolOutlook outlook = new PoolOutlook("on-demand", NOON, pool, new PoolSize("on-demand", 1, 1, List.of()),
        vcpu(0), new dev.flowcast.resources.ResourceDemand(1, 12_288, 0, 0), java.util.Map.of(), java.util.Map.of(),
        java.util.Map.of());

    assertThat(planner.plan(outlook).desiredUnits()).isEqualTo(3);
  }

  @Test
  void shouldStayWithinThePoolsMinimumAndMaximum() {
    ReactivePlanner planner = new ReactivePlanner(1.0, Duration.ZERO);

    assertThat(planner.plan(now(NOON, pool, 3, 0, 0)).desiredUnits()).isEqualTo(1);
    assertThat(planner.plan(now(NOON.plusSeconds(30), pool, 1, 100, 100)).desiredUnits()).isEqualTo(20);
  }

  @Test
  void shouldIgnorePredictionsOfDemandThatIsNotQueuedYet() {
    // given a burst of 30 vCPU predicted within a minute, nothing queued or running
    ReactivePlanner planner = new ReactivePlanner(1.0, Duration.ZERO);
    PoolOutlook outlook = new PoolOutlook("on-demand", NOON, pool, new PoolSize("on-demand", 1, 1, List.of()),
        vcpu(0), vcpu(0), from(Duration.ofSeconds(60), 30), from(Duration.ofSeconds(60), 30), from(Duration.ZERO, 0));

    // when
    ScalingPlan plan = planner.plan(outlook);

    // then it stays at the minimum
    assertThat(plan.desiredUnits()).isEqualTo(1);
  }

  @Test
  void shouldKeepUnitsUntilDemandHasBeenLowForTheWholeCooldown() {
    // given a pool grown to 5 units for 10 vCPU, with a 2-minute cool-down
    ReactivePlanner planner = new ReactivePlanner(1.0, Duration.ofMinutes(2));
    assertThat(planner.plan(now(NOON, pool, 1, 10, 0)).desiredUnits()).isEqualTo(5);

    // when demand falls to 2 vCPU, polled every 30 s
    int after30s = planner.plan(now(NOON.plusSeconds(30), pool, 5, 2, 0)).desiredUnits();
    int after90s = planner.plan(now(NOON.plusSeconds(90), pool, 5, 2, 0)).desiredUnits();
    int after150s = planner.plan(now(NOON.plusSeconds(150), pool, 5, 2, 0)).desiredUnits();

    // then it keeps 5 while the high recommendation is inside the window, and gives back after it
    assertThat(after30s).isEqualTo(5);
    assertThat(after90s).isEqualTo(5);
    assertThat(after150s).isEqualTo(1);
  }

  @Test
  void shouldGrowAtOnceEvenWithinTheCooldown() {
    ReactivePlanner planner = new ReactivePlanner(1.0, Duration.ofMinutes(5));
    planner.plan(now(NOON, pool, 1, 2, 0));

    assertThat(planner.plan(now(NOON.plusSeconds(30), pool, 1, 2, 8)).desiredUnits()).isEqualTo(5);
  }

  @Test
  void shouldKeepTheCooldownOfEachPoolApart() {
    ReactivePlanner planner = new ReactivePlanner(1.0, Duration.ofMinutes(2));
    planner.plan(now(NOON, pool, 1, 10, 0));
    PoolOutlook otherPool = new PoolOutlook("spot", NOON.plusSeconds(30), pool, new PoolSize("spot", 5, 5, List.of()),
        vcpu(2), vcpu(0), java.util.Map.of(), java.util.Map.of(), java.util.Map.of());

    assertThat(planner.plan(otherPool).desiredUnits()).isEqualTo(1);
  }

  @Test
  void shouldRefuseATargetUtilizationOutsideZeroToOne() {
    assertThatThrownBy(() -> new ReactivePlanner(0, Duration.ZERO)).hasMessageContaining("target utilization");
    assertThatThrownBy(() -> new ReactivePlanner(1.5, Duration.ZERO)).hasMessageContaining("target utilization");
  }
}
