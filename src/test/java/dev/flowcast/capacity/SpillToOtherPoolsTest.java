package dev.flowcast.capacity;

import static dev.flowcast.capacity.PlannerFixtures.NOON;
import static dev.flowcast.capacity.PlannerFixtures.from;
import static dev.flowcast.capacity.PlannerFixtures.nothing;
import static dev.flowcast.capacity.PlannerFixtures.vcpu;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Demand predicted for a pool beyond its most units is bought where the composer will run it: in
 * the other elastic pools, cheapest first.
 */
class SpillToOtherPoolsTest {

  /** Units of 2 vCPU, 90 s (+- 10 s) lead time, one to eight of them: 16 vCPU at the most. */
  private static final Elasticity EIGHT_UNITS = new Elasticity(new ResourceDemand(2, 4096, 0, 0), 1, 8,
      Duration.ofSeconds(90), Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ZERO, 0, Duration.ZERO);
  private static final Map<String, Double> PRICES = Map.of("spot", 0.01, "on-demand", 0.04, "premium", 0.08);

  private static PoolOutlook pool(String name, int provisioned, Map<Duration, ResourceDemand> intents) {
    return new PoolOutlook(name, NOON, EIGHT_UNITS, new PoolSize(name, provisioned, provisioned, List.of()),
        vcpu(0), vcpu(0), intents, nothing(), nothing());
  }

  @Test
  void shouldBuyWhatTheCheapestPoolCannotHoldInTheNextCheapestBeforeItIsQueued() {
    // given 30 vCPU predicted on spot within the lead time, which holds 16 at its most; on-demand expects nothing
    List<PoolOutlook> outlooks = List.of(pool("spot", 8, from(Duration.ofSeconds(120), 30)),
        pool("on-demand", 1, nothing()));
    PredictivePlanner spilling = new PredictivePlanner(1.0, new SpillToOtherPools(PRICES::get));

    List<ScalingPlan> plans = spilling.planAll(outlooks);

    // then on-demand is asked for the 14 vCPU spot cannot hold: 7 units, now, a lead time ahead of them
    assertThat(plans.get(0).desiredUnits()).isEqualTo(8);
    assertThat(plans.get(1).desiredUnits()).isEqualTo(7);
    assertThat(plans.get(1).figures()).containsEntry("predictedVcpu", 14.0);
    // and, each pool on its own, on-demand stays at one unit until the excess is queued there
    assertThat(new PredictivePlanner(1.0).planAll(outlooks).get(1).desiredUnits()).isEqualTo(1);
  }

  @Test
  void shouldFillTheCheapestOtherPoolFirstAndEachOnlyUpToItsMostUnitsAtTheTargetUtilization() {
    // at u = 0.5 a pool of 8 units holds 8 vCPU; spot is predicted 30: 22 too many
    List<PoolOutlook> outlooks = List.of(pool("premium", 1, nothing()), pool("spot", 8, from(Duration.ofSeconds(120), 30)),
        pool("on-demand", 1, from(Duration.ofSeconds(120), 2)));

    List<PoolOutlook> spilled = new SpillToOtherPools(PRICES::get).spill(outlooks, 0.5);

    Duration horizon = Duration.ofSeconds(120);
    // on-demand, cheaper than premium, takes the 6 vCPU it has room for beside its own 2; premium the rest
    assertThat(spilled.get(2).intents().get(horizon).vcpu()).isEqualTo(8.0);
    assertThat(spilled.get(0).intents().get(horizon).vcpu()).isEqualTo(8.0);
    assertThat(spilled.get(1)).isSameAs(outlooks.get(1));
    assertThat(spilled.get(0).intents().get(Duration.ofSeconds(60)).vcpu()).isZero();
  }

  @Test
  void shouldLeaveEveryPoolAsItIsWhenNoneExpectsMoreThanItHolds() {
    List<PoolOutlook> outlooks = List.of(pool("spot", 8, from(Duration.ofSeconds(120), 16)),
        pool("on-demand", 1, nothing()));

    assertThat(new SpillToOtherPools(PRICES::get).spill(outlooks, 1.0)).containsExactlyElementsOf(outlooks);
    assertThat(Overflow.NONE.spill(outlooks, 1.0)).isSameAs(outlooks);
  }
}
