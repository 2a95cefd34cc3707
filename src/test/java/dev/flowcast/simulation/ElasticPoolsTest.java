package dev.flowcast.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.flowcast.capacity.CapacityRequestException;
import dev.flowcast.capacity.PoolSize;
import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.PricedPool;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulated provider: units arrive after their lead time, are paid per provisioned second with a minimum, and spot refuses and is taken back. */
class ElasticPoolsTest {

  private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
  private static final ResourceDemand UNIT = new ResourceDemand(2, 8192, 0, 0);
  /** 0.1 per vCPU-hour, nothing for memory: a unit costs 0.2 an hour. */
  private static final PricedPool PRICE = new PricedPool("on-demand", new ResourceDemand(16, 65536, 0, 0), 0.1, 0, 0);

  private static Elasticity pool(double refusalRate, Duration jitter) {
    return new Elasticity(UNIT, 1, 8, Duration.ofSeconds(90), jitter, Duration.ofSeconds(60), Duration.ZERO,
        refusalRate, Duration.ZERO);
  }

  private static ElasticPools provider(Elasticity elasticity, long seed) {
    return new ElasticPools(Map.of("on-demand", elasticity), Map.of("on-demand", PRICE), Map.of("on-demand", 1), START,
        seed);
  }

  @Test
  void shouldMakeUnitsReadyOnlyAfterTheirLeadTime() {
    ElasticPools pools = provider(pool(0, Duration.ZERO), 1);

    pools.requestTarget("on-demand", 3, START);

    PoolSize asked = pools.size("on-demand", START.plusSeconds(89));
    assertThat(asked.provisionedUnits()).isEqualTo(3);
    assertThat(asked.readyUnits()).isEqualTo(1);
    assertThat(asked.readyBy(START.plusSeconds(90))).isEqualTo(3);
    assertThat(pools.size("on-demand", START.plusSeconds(90)).readyUnits()).isEqualTo(3);
    assertThat(pools.nextChange(START)).isEqualTo(START.plusSeconds(90));
  }

  @Test
  void shouldDrawTheSameNoisyLeadTimeForTheSameSeedAndNeverLessThanHalfOfIt() {
    ElasticPools first = provider(pool(0, Duration.ofSeconds(60)), 7);
    ElasticPools again = provider(pool(0, Duration.ofSeconds(60)), 7);

    first.requestTarget("on-demand", 2, START);
    again.requestTarget("on-demand", 2, START);

    assertThat(first.nextChange(START)).isEqualTo(again.nextChange(START));
    assertThat(first.nextChange(START)).isAfterOrEqualTo(START.plusSeconds(45));
  }

  @Test
  void shouldBillEveryProvisionedSecondUsedOrNotWithTheMinimum() {
    // given one unit kept for an hour, and one asked for and given back at once
    ElasticPools pools = provider(pool(0, Duration.ZERO), 1);
    pools.requestTarget("on-demand", 2, START);
    pools.requestTarget("on-demand", 1, START.plusSeconds(10));

    // then the first is paid for an hour (0.2) and the second for the 60 s minimum
    Instant end = START.plus(Duration.ofHours(1));
    assertThat(pools.unitSeconds(end).get("on-demand")).isEqualTo(3600 + 60.0);
    assertThat(pools.cost(end)).isCloseTo(0.2 + 0.2 / 60, within(1e-9));
  }

  @Test
  void shouldGiveBackOnlyUnitsThatHoldNoWork() {
    // given 4 ready units, 5 vCPU of them held by running work (3 units busy)
    ElasticPools pools = provider(pool(0, Duration.ZERO), 1);
    pools.requestTarget("on-demand", 4, START);
    Instant later = START.plusSeconds(120);
    pools.holding(Map.of("on-demand", new ResourceDemand(5, 0, 0, 0)));

    // when the planner asks for 1
    pools.requestTarget("on-demand", 1, later);

    // then only the idle unit leaves
    assertThat(pools.size("on-demand", later).provisionedUnits()).isEqualTo(3);
  }

  @Test
  void shouldRefuseSomeRequestsOfAPoolThatRefusesAll() {
    ElasticPools pools = provider(pool(1.0, Duration.ZERO), 1);

    assertThatThrownBy(() -> pools.requestTarget("on-demand", 3, START))
        .isInstanceOf(CapacityRequestException.class).hasMessageContaining("no capacity");
    assertThat(pools.refusals()).isEqualTo(1);
    assertThat(pools.size("on-demand", START).provisionedUnits()).isEqualTo(1);
  }

  @Test
  void shouldLoseEveryUnitAtTheEndOfAnInterruptionsNotice() {
    ElasticPools pools = provider(pool(0, Duration.ZERO), 1);
    pools.requestTarget("on-demand", 2, START);

    pools.interrupt("on-demand", START.plusSeconds(100), Duration.ofMinutes(2));

    assertThat(pools.size("on-demand", START.plusSeconds(219)).readyUnits()).isEqualTo(2);
    assertThat(pools.size("on-demand", START.plusSeconds(220)).provisionedUnits()).isZero();
  }
}
