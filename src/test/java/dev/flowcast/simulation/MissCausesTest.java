package dev.flowcast.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Why a request missed its deadline on elastic pools, read from what its pool did around it.
 * run-report's deadline is 90 s; its runs here take 30 s, so its latest start is 60 s after it arrived.
 */
class MissCausesTest {

  private static final Instant ORIGIN = Instant.parse("2026-01-05T00:00:00Z");
  private static final ResourceDemand UNIT = new ResourceDemand(2, 8192, 0, 0);
  private static final PricedPool PRICE = new PricedPool("on-demand", new ResourceDemand(16, 65536, 0, 0), 0.1, 0, 0);
  private static final MissCauses.Expected EXPECTED = new MissCauses.Expected(Set.of("on-demand"), Duration.ofSeconds(30));

  /** Units ready after exactly 90 s; one to eight of them. */
  private static ElasticPools pools(double refusalRate, int initialUnits) {
    Elasticity elasticity = new Elasticity(UNIT, 1, 8, Duration.ofSeconds(90), Duration.ZERO, Duration.ofSeconds(60),
        Duration.ZERO, refusalRate, Duration.ZERO);
    return new ElasticPools(Map.of("on-demand", elasticity), Map.of("on-demand", PRICE),
        Map.of("on-demand", initialUnits), ORIGIN, 1);
  }

  /** A run-report request arriving at {@code arrival} s, started after {@code waited} s, running 30 s. */
  private static ReplayRun.RequestOutcome request(int arrival, int waited) {
    return new ReplayRun.RequestOutcome(1, "run-report", Duration.ofSeconds(arrival),
        Duration.ofSeconds(arrival + waited), Duration.ofSeconds(arrival + waited + 30), Set.of("on-demand"));
  }

  private static MissCauses.Miss onlyMiss(ElasticPools pools, ReplayRun.RequestOutcome request) {
    List<MissCauses.Miss> misses = MissCauses.of(List.of(request), ORIGIN, pools.history(), intent -> EXPECTED);
    assertThat(misses).hasSize(1);
    return misses.get(0);
  }

  @Test
  void shouldCountNoMissForARequestWithinItsDeadline() {
    assertThat(MissCauses.of(List.of(request(600, 60)), ORIGIN, pools(0, 1).history(), intent -> EXPECTED)).isEmpty();
  }

  @Test
  void shouldBlameUnitsAskedForOnlyWhenTheRequestArrivedWhenTheyWereStillOnTheirWayAtItsLatestStart() {
    // given a request at 600 s, and units asked for at 600 s: ready at 690 s, after its latest start at 660 s
    ElasticPools pools = pools(0, 1);
    pools.requestTarget("on-demand", 4, ORIGIN.plusSeconds(600));

    MissCauses.Miss miss = onlyMiss(pools, request(600, 90));

    assertThat(miss.cause()).isEqualTo("units-asked-after-arrival");
    assertThat(miss.unitsAtArrival()).containsExactly(4, 1);
    assertThat(miss.unitsAtLatestStart()).containsExactly(4, 1);
  }

  @Test
  void shouldTellUnitsAskedForAheadOfTheRequestButLessThanALeadTimeBeforeItsLatestStart() {
    // asked at 580 s, 20 s before the request: ready at 670 s, still after its latest start
    ElasticPools pools = pools(0, 1);
    pools.requestTarget("on-demand", 4, ORIGIN.plusSeconds(580));

    assertThat(onlyMiss(pools, request(600, 90)).cause()).isEqualTo("units-asked-ahead-too-late");
  }

  @Test
  void shouldBlameAScaleInWithinALeadTimeBeforeTheRequestAboveUnitsAskedForLate() {
    // given four units ready, three given back at 550 s, and asked for again when the request came
    ElasticPools pools = pools(0, 4);
    pools.requestTarget("on-demand", 1, ORIGIN.plusSeconds(550));
    pools.requestTarget("on-demand", 4, ORIGIN.plusSeconds(600));

    MissCauses.Miss miss = onlyMiss(pools, request(600, 90));

    assertThat(miss.cause()).isEqualTo("units-given-back-before");
    assertThat(miss.flags()).containsExactly("units-given-back-before@on-demand", "units-asked-after-arrival@on-demand");
  }

  @Test
  void shouldBlameThePoolsLimitWhenItHadEveryUnitItMayHave() {
    ElasticPools pools = pools(0, 8);

    assertThat(onlyMiss(pools, request(600, 90)).cause()).isEqualTo("every-pool-at-its-most-units");
  }

  @Test
  void shouldBlameThePoolARequestCouldHaveSpilledToWhenItsOwnWasFullAndThatOneWasNot() {
    // given spot at its most units, all ready, and on-demand at two of eight with nothing on its way
    Elasticity elasticity = new Elasticity(UNIT, 1, 8, Duration.ofSeconds(90), Duration.ZERO, Duration.ofSeconds(60),
        Duration.ZERO, 0, Duration.ZERO);
    ElasticPools pools = new ElasticPools(Map.of("on-demand", elasticity, "spot", elasticity),
        Map.of("on-demand", PRICE, "spot", PRICE), Map.of("on-demand", 2, "spot", 8), ORIGIN, 1);
    ReplayRun.RequestOutcome onSpot = new ReplayRun.RequestOutcome(1, "run-report", Duration.ofSeconds(600),
        Duration.ofSeconds(690), Duration.ofSeconds(720), Set.of("spot"));

    List<MissCauses.Miss> misses = MissCauses.of(List.of(onSpot), ORIGIN, pools.history(), intent -> EXPECTED);

    assertThat(misses.get(0).cause()).isEqualTo("full-and-the-pool-to-spill-to-short");
    assertThat(misses.get(0).pool()).isEqualTo("on-demand");
    assertThat(misses.get(0).flags()).containsExactly("every-pool-at-its-most-units@spot", "too-few-units-asked@on-demand");
  }

  @Test
  void shouldBlameARefusedRequestForUnits() {
    ElasticPools pools = pools(1.0, 1);
    try {
      pools.requestTarget("on-demand", 4, ORIGIN.plusSeconds(590));
    } catch (RuntimeException refused) {
      // the pool had no capacity to give: what the test is about
    }

    assertThat(onlyMiss(pools, request(600, 90)).cause()).isEqualTo("spot-refused");
  }

  @Test
  void shouldSayThePlannerAskedForTooFewWhenNothingWasOnItsWayRefusedOrGivenBack() {
    ElasticPools pools = pools(0, 2);

    assertThat(onlyMiss(pools, request(600, 90)).cause()).isEqualTo("too-few-units-asked");
  }

  @Test
  void shouldBlameTheRunItselfWhenItTookLongerThanTheDeadlineWhateverThePoolDid() {
    ElasticPools pools = pools(0, 8);
    ReplayRun.RequestOutcome slow = new ReplayRun.RequestOutcome(1, "run-report", Duration.ofSeconds(600),
        Duration.ofSeconds(600), Duration.ofSeconds(700), Set.of("on-demand"));

    MissCauses.Miss miss = onlyMiss(pools, slow);

    assertThat(miss.cause()).isEqualTo("ran-too-long");
    assertThat(miss.flags()).contains("every-pool-at-its-most-units@on-demand");
  }

  @Test
  void shouldReadARequestThatNeverStartedAtTheLatestStartItsExpectedWorkflowGives() {
    ElasticPools pools = pools(0, 1);
    pools.requestTarget("on-demand", 4, ORIGIN.plusSeconds(600));
    ReplayRun.RequestOutcome expired = new ReplayRun.RequestOutcome(1, "run-report", Duration.ofSeconds(600), null,
        null, Set.of());

    MissCauses.Miss miss = onlyMiss(pools, expired);

    assertThat(miss.started()).isFalse();
    assertThat(miss.pool()).isEqualTo("on-demand");
    assertThat(miss.cause()).isEqualTo("units-asked-after-arrival");
    assertThat(MissCauses.counted(List.of(miss))).containsExactly(Map.entry("units-asked-after-arrival", 1));
  }
}
