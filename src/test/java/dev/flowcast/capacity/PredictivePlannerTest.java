package dev.flowcast.capacity;

import static dev.flowcast.capacity.PlannerFixtures.NOON;
import static dev.flowcast.capacity.PlannerFixtures.from;
import static dev.flowcast.capacity.PlannerFixtures.nothing;
import static dev.flowcast.capacity.PlannerFixtures.onDemand;
import static dev.flowcast.capacity.PlannerFixtures.vcpu;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flowcast's planner: the size needed when units asked for now would be ready. */
class PredictivePlannerTest {

  private final PredictivePlanner planner = new PredictivePlanner(1.0);

  private static PoolOutlook outlook(Elasticity pool, int provisioned, double running, double queued,
      Map<Duration, ResourceDemand> intents, Map<Duration, ResourceDemand> series, Map<Duration, ResourceDemand> releases) {
    return new PoolOutlook("on-demand", NOON, pool, new PoolSize("on-demand", provisioned, provisioned, List.of()),
        vcpu(running), vcpu(queued), intents, series, releases);
  }

  @Test
  void shouldScaleOutForABurstPredictedWithinTheLeadTimeBeforeAnyOfItIsQueued() {
    // given nothing queued, and users predicted to start 12 vCPU of work within 2 minutes;
    // units take 90 s (+- 10 s) to be ready
    PoolOutlook outlook = outlook(onDemand(), 1, 0, 0, from(Duration.ofSeconds(120), 12), nothing(), nothing());

    // when
    ScalingPlan plan = planner.plan(outlook);

    // then it asks now for the 6 units the burst needs, which the reactive rule would not
    assertThat(plan.desiredUnits()).isEqualTo(6);
    assertThat(new ReactivePlanner(1.0, Duration.ZERO).plan(outlook).desiredUnits()).isEqualTo(1);
    assertThat(plan.horizon()).isEqualTo(Duration.ofSeconds(120));
    assertThat(plan.figures()).containsEntry("predictedVcpu", 12.0).containsEntry("horizonSeconds", 120.0)
        .containsEntry("queuedVcpu", 0.0);
  }

  @Test
  void shouldLookAsFarAheadAsTheLeadTimeNeedsRoundedUpToTheGivenHorizons() {
    // given a pool whose units take 4 minutes: the burst at 120 s is too close to act on, the one at 300 s is not
    Elasticity slowPool = onDemand(Duration.ofMinutes(4), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ZERO);
    PoolOutlook outlook = outlook(slowPool, 1, 0, 0, from(Duration.ofSeconds(300), 8), nothing(), nothing());

    ScalingPlan plan = planner.plan(outlook);

    assertThat(plan.horizon()).isEqualTo(Duration.ofSeconds(300));
    assertThat(plan.desiredUnits()).isEqualTo(4);
  }

  @Test
  void shouldSizeForTheBusiestHorizonTheUnitsAskedForNowMayArriveIn() {
    // given units that take 100 s (+- 15 s): ready between 70 s and 130 s, which the horizons round up to 300 s;
    // a burst of 8 vCPU runs at 120 s and is over by 300 s
    Elasticity pool = onDemand(Duration.ofSeconds(100), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ZERO);
    Map<Duration, ResourceDemand> burst = Map.of(Duration.ofSeconds(30), ResourceDemand.NONE, Duration.ofSeconds(60),
        ResourceDemand.NONE, Duration.ofSeconds(120), vcpu(8), Duration.ofSeconds(300), ResourceDemand.NONE);
    PoolOutlook outlook = outlook(pool, 1, 0, 0, burst, nothing(), nothing());

    // when
    ScalingPlan plan = planner.plan(outlook);

    // then it asks for the burst's 4 units now: the next tick's units would come too late for it
    assertThat(plan.desiredUnits()).isEqualTo(4);
    assertThat(plan.figures()).containsEntry("expectedVcpu", 8.0);
  }

  @Test
  void shouldCountWhatRunningWorkWillHaveReleasedByThen() {
    // given 10 vCPU running, 8 of which end within a minute, and 4 vCPU predicted
    PoolOutlook outlook = outlook(onDemand(), 5, 10, 0, from(Duration.ofSeconds(60), 4), nothing(),
        from(Duration.ofSeconds(60), 8));

    ScalingPlan plan = planner.plan(outlook);

    // then 10 - 8 + 4 = 6 vCPU at the horizon; but 10 are running now, and the units are kept
    assertThat(plan.figures()).containsEntry("expectedVcpu", 6.0).containsEntry("releasedVcpu", 8.0);
    assertThat(plan.desiredUnits()).isEqualTo(5);
  }

  @Test
  void shouldNeverAskForLessThanTheReactiveRuleWouldNow() {
    // given 14 vCPU queued and the forecast (wrongly) saying all is released by the horizon
    PoolOutlook outlook = outlook(onDemand(), 2, 0, 14, nothing(), nothing(), from(Duration.ofSeconds(30), 14));

    assertThat(planner.plan(outlook).desiredUnits()).isEqualTo(7);
  }

  @Test
  void shouldTakeTheSeriesUpperQuantileAsAFloorWithoutAddingItToTheIntents() {
    // given the series projecting 10 vCPU of use and intents predicting 4
    PoolOutlook seriesHigher = outlook(onDemand(), 1, 0, 0, from(Duration.ofSeconds(30), 4),
        from(Duration.ofSeconds(30), 10), nothing());
    PoolOutlook intentsHigher = outlook(onDemand(), 1, 0, 0, from(Duration.ofSeconds(30), 16),
        from(Duration.ofSeconds(30), 10), nothing());

    assertThat(planner.plan(seriesHigher).desiredUnits()).isEqualTo(5);
    assertThat(planner.plan(intentsHigher).desiredUnits()).isEqualTo(8);
  }

  @Test
  void shouldNotScaleInWhenTheUnitsAreNeededAgainWithinTheBillingMinimum() {
    // given 6 units, little use at the lead time, but a burst predicted at 5 minutes, within a
    // 5-minute billing minimum
    Elasticity pool = onDemand(Duration.ofSeconds(30), Duration.ZERO, Duration.ofMinutes(5), Duration.ZERO);
    PoolOutlook outlook = outlook(pool, 6, 2, 0, from(Duration.ofSeconds(300), 12), nothing(), nothing());

    ScalingPlan plan = planner.plan(outlook);

    assertThat(plan.desiredUnits()).isEqualTo(6);
    assertThat(plan.reason()).contains("billing minimum");
  }

  @Test
  void shouldScaleInWhenTheForecastLeavesUnitsIdlePastTheBillingMinimum() {
    // given 6 units and 2 vCPU of use for as far as the forecast sees
    PoolOutlook outlook = outlook(onDemand(), 6, 2, 0, nothing(), from(Duration.ofSeconds(30), 2), nothing());

    ScalingPlan plan = planner.plan(outlook);

    assertThat(plan.desiredUnits()).isEqualTo(1);
    assertThat(plan.reason()).contains("idle");
  }

  @Test
  void shouldHoldUnitsThroughTheScaleInDelayWhenDemandReturnsWithinIt() {
    // given a 60 s lead time, no billing minimum but a 5-minute scale-in delay, and demand back at 300 s
    Elasticity pool = onDemand(Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO, Duration.ofMinutes(5));
    PoolOutlook outlook = outlook(pool, 4, 0, 0, from(Duration.ofSeconds(300), 8), nothing(), nothing());

    assertThat(planner.plan(outlook).desiredUnits()).isEqualTo(4);
  }

  @Test
  void shouldGiveBackNoUnitsItWantedWithinTheScaleInDelayWhenTheForecastDipsForOneTick() {
    // given a 2-minute scale-in delay; a tick that wants 6 units for a predicted burst
    Elasticity pool = onDemand(Duration.ofSeconds(30), Duration.ZERO, Duration.ZERO, Duration.ofMinutes(2));
    assertThat(planner.plan(outlook(pool, 1, 0, 0, from(Duration.ofSeconds(30), 12), nothing(), nothing()))
        .desiredUnits()).isEqualTo(6);

    // when the next tick's forecast sees nothing (the 6 units asked for still on their way)
    ScalingPlan dip = planner.plan(at(outlook(pool, 6, 0, 0, nothing(), nothing(), nothing()), Duration.ofSeconds(10)));
    // then it keeps them
    assertThat(dip.desiredUnits()).isEqualTo(6);
    assertThat(dip.reason()).isEqualTo("units were wanted within the scale-in delay");

    // and when nothing has been wanted for the whole delay, it gives them back
    ScalingPlan later = planner.plan(at(outlook(pool, 6, 0, 0, nothing(), nothing(), nothing()), Duration.ofMinutes(3)));
    assertThat(later.desiredUnits()).isEqualTo(1);
  }

  @Test
  void shouldKeepUnitsItWantedWithinALeadTimeWhenHoldingForTheLeadTimeBecauseUnitsGivenBackCouldNotBeBoughtAgainInTime() {
    // given no scale-in delay and units that take 90 s (+- 10 s) to be ready: what is given back now
    // cannot be had again for 110 s; a tick wants 6 units for a predicted burst
    PredictivePlanner holding = new PredictivePlanner(1.0, Overflow.NONE, ScaleInHold.LEAD_TIME);
    PoolOutlook burst = outlook(onDemand(), 1, 0, 0, from(Duration.ofSeconds(30), 12), nothing(), nothing());
    assertThat(holding.plan(burst).desiredUnits()).isEqualTo(6);
    assertThat(planner.plan(burst).desiredUnits()).isEqualTo(6);

    // when, a minute later, the forecast sees nothing more
    PoolOutlook lull = at(outlook(onDemand(), 6, 0, 0, nothing(), nothing(), nothing()), Duration.ofSeconds(60));
    ScalingPlan held = holding.plan(lull);

    // then it keeps the 6 units: demand back within the lead time would find them gone
    assertThat(held.desiredUnits()).isEqualTo(6);
    assertThat(held.reason()).isEqualTo("units were wanted within the lead time");
    assertThat(held.figures()).containsEntry("holdSeconds", 110.0);
    // where by default, with no scale-in delay, the pool shrinks at once
    assertThat(planner.plan(lull).desiredUnits()).isEqualTo(1);

    // and it gives them back once nothing has wanted them for a lead time and two standard deviations of its spread
    ScalingPlan later = holding.plan(at(outlook(onDemand(), 6, 0, 0, nothing(), nothing(), nothing()),
        Duration.ofSeconds(60 + 111)));
    assertThat(later.desiredUnits()).isEqualTo(1);
  }

  @Test
  void shouldHoldForTheScaleInDelayWhenItIsLongerThanTheLeadTime() {
    // given a 5-minute scale-in delay, longer than the 110 s the units may take
    Elasticity pool = onDemand(Duration.ofSeconds(90), Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(5));
    PredictivePlanner holding = new PredictivePlanner(1.0, Overflow.NONE, ScaleInHold.LEAD_TIME);
    holding.plan(outlook(pool, 1, 0, 0, from(Duration.ofSeconds(30), 12), nothing(), nothing()));

    // when the forecast sees nothing for 4 minutes
    ScalingPlan plan = holding.plan(at(outlook(pool, 6, 0, 0, nothing(), nothing(), nothing()), Duration.ofMinutes(4)));

    // then the scale-in delay still holds the units
    assertThat(plan.desiredUnits()).isEqualTo(6);
    assertThat(plan.reason()).isEqualTo("units were wanted within the scale-in delay");
    assertThat(plan.figures()).containsEntry("holdSeconds", 300.0);
  }

  private static PoolOutlook at(PoolOutlook outlook, Duration later) {
    return new PoolOutlook(outlook.pool(), outlook.now().plus(later), outlook.elasticity(), outlook.size(),
        outlook.running(), outlook.queued(), outlook.intents(), outlook.seriesUpper(), outlook.releases());
  }

  @Test
  void shouldAnswerWithTheReactiveSizeWhenNothingIsPredicted() {
    PoolOutlook outlook = outlook(onDemand(), 1, 3, 3, Map.of(), Map.of(), Map.of());

    assertThat(planner.plan(outlook).desiredUnits()).isEqualTo(3);
  }
}
