package dev.flowcast.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowcast.resources.PriceCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default provider: every pool keeps its catalog capacity, the monitor's numbers as before. */
class FixedCapacityProviderTest {

  static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");

  @TempDir Path folder;

  @Test
  void shouldReportAsManyReadyUnitsAsTheCatalogCapacityHolds() {
    PriceCatalog catalog = ElasticCatalogs.catalog(folder, ElasticCatalogs.SPOT_ELASTIC);

    PoolSize spot = new FixedCapacityProvider(catalog).size("spot", NOON);

    // 16 vCPU and 64 GB in units of 2 vCPU and 8 GB
    assertThat(spot.provisionedUnits()).isEqualTo(8);
    assertThat(spot.readyUnits()).isEqualTo(8);
    assertThat(spot.arriving()).isEmpty();
  }

  @Test
  void shouldRefuseToChangeAPoolsSizeSayingWhy() {
    FixedCapacityProvider fixed = new FixedCapacityProvider(ElasticCatalogs.catalog(folder, ElasticCatalogs.SPOT_ELASTIC));

    assertThatThrownBy(() -> fixed.requestTarget("spot", 3, NOON))
        .isInstanceOf(CapacityRequestException.class)
        .hasMessage("pool sizes are fixed (flowcast.capacity.provider=fixed): 'spot' keeps its catalog capacity");
    assertThatThrownBy(() -> fixed.size("moon", NOON))
        .isInstanceOf(CapacityRequestException.class)
        .hasMessage("no pool 'moon' in the price catalog");
  }

  @Test
  void shouldLeaveTheMonitorTheCatalogsCapacity() {
    FixedCapacityProvider fixed = new FixedCapacityProvider(ElasticCatalogs.catalog(folder, ElasticCatalogs.SPOT_ELASTIC));
    ProviderPoolSupply supply = new ProviderPoolSupply(fixed, Duration.ofSeconds(5), Clock.systemUTC());

    assertThat(supply.supply("spot", NOON)).as("sized by the catalog, as without elastic pools").isEmpty();
    assertThat(supply.size("spot")).hasValueSatisfying(size -> assertThat(size.readyUnits()).isEqualTo(8));
  }
}
